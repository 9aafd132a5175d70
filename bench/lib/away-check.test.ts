import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAwayMessage, countOutcomes } from './away-check.ts';
import { RestFrom } from './rest-from.ts';

/** A stand-in for the two REST calls, answering by the token: what each recipient's server would say. */
const answers: Record<string, { list: unknown; page?: unknown; status?: number }> = {
  ok: {
    list: { conversations: [{ id: 'c1', lastSeq: 3 }], cursor: 0 },
    page: { messages: [{ seq: 3, clientId: 'away_1' }], hasMore: false },
  },
  unlisted: { list: { conversations: [], cursor: 0 } },
  behind: { list: { conversations: [{ id: 'c1', lastSeq: 2 }], cursor: 0 } },
  absent: {
    list: { conversations: [{ id: 'c1', lastSeq: 3 }], cursor: 0 },
    page: { messages: [{ seq: 3, clientId: 'someone_else' }], hasMore: false },
  },
  expired: { status: 401, list: { error: { code: 'TOKEN_EXPIRED', message: 'expired' } } },
};

let server: Server;
let rest: RestFrom;
const peers: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    peers.push(req.socket.remoteAddress ?? '');
    const a = answers[(req.headers.authorization ?? '').replace('Bearer ', '')];
    const body = req.url?.startsWith('/api/v1/conversations?since=') ? a?.list : a?.page;
    res.writeHead(a?.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rest = new RestFrom(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), '127.0.0.9');
});

afterAll(async () => {
  rest.close();
  await new Promise((resolve) => server.close(resolve));
});

const probe = (token: string, seq: number | null = 3) => ({
  token,
  conversationId: 'c1',
  clientId: 'away_1',
  seq,
});

describe('the away-message check', () => {
  it('says why a message was not found, or that it was', async () => {
    const outcomes = await Promise.all(
      ['ok', 'unlisted', 'behind', 'absent', 'expired', 'ok'].map((t) => checkAwayMessage(rest, probe(t), 1)),
    );
    expect(outcomes).toEqual([
      'fetched',
      'notInChangedList',
      'lastSeqBehind',
      'absentFromPage',
      'list HTTP 401 TOKEN_EXPIRED',
      'fetched',
    ]);
    expect(countOutcomes(outcomes)).toEqual({
      fetched: 2,
      notInChangedList: 1,
      lastSeqBehind: 1,
      absentFromPage: 1,
      'list HTTP 401 TOKEN_EXPIRED': 1,
    });
    expect(await checkAwayMessage(rest, probe('ok', null), 1)).toBe('notAcked');
  });

  it('calls from its own source address, not 127.0.0.1 whose ports a load fleet may have used up', async () => {
    peers.length = 0;
    await rest.call('ok', 'GET', '/conversations?since=1');
    expect(peers).toEqual(['127.0.0.9']);
  });

  it('names a request that got no answer by its socket error', async () => {
    const nowhere = new RestFrom(new URL('http://127.0.0.1:1'), '127.0.0.9');
    expect(await checkAwayMessage(nowhere, probe('ok'), 1)).toBe('list Error ECONNREFUSED');
    nowhere.close();
  });
});
