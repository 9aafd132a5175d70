import { API_PREFIX, PROTOCOL_VERSION } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { TestClient } from '../../gateway/testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import { mustCall, registerUser, type TestUser } from '../../testing/factories.ts';

/**
 * Attack: bodies built to hurt the parser or the validator: larger than allowed (declared or
 * chunked), nested a hundred thousand levels deep, arrays and objects of a million members, and
 * `__proto__` / `constructor.prototype` keys that would pollute every object in the process. Each
 * gets a typed 4xx, the server keeps serving, and nothing is written.
 */

const JSON_HEADERS = { 'content-type': 'application/json' };

function deepArray(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

async function rowCounts(app: App): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'users',
    'sessions',
    'conversations',
    'friend_requests',
    'moments_posts',
    'members',
    'messages',
  ] as const) {
    const row = await app.platform.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

describe('hostile request bodies', () => {
  let app: App;
  let port: number;
  let user: TestUser;
  let before: Record<string, number>;
  beforeAll(async () => {
    app = await buildTestApp({
      config: { http: { bodyLimitBytes: 64 * 1024, rateLimitPerMinute: 100_000 } },
    });
    port = await app.listen();
    user = await registerUser(app);
    before = await rowCounts(app);
  });
  afterAll(() => app.close());

  const auth = () => ({ ...JSON_HEADERS, authorization: `Bearer ${user.accessToken}` });

  /** POST a raw payload to a route that writes (creating a group) and return status and code. */
  async function post(
    payload: string | Buffer,
    url = `${API_PREFIX}/groups`,
    headers: Record<string, string> = auth(),
  ) {
    const res = await app.http.inject({ method: 'POST', url, headers, payload });
    let code: string | undefined;
    try {
      code = (res.json() as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
    return { status: res.statusCode, code };
  }

  it('refuses a body over the limit with PAYLOAD_TOO_LARGE, declared or streamed', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(70 * 1024), memberIds: [] });
    expect(await post(big)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // Over a real socket, chunked: no Content-Length to refuse up front.
    const res = await fetch(`http://127.0.0.1:${port}${API_PREFIX}/groups`, {
      method: 'POST',
      headers: auth(),
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(8 * 1024)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses JSON nested deeper than any request needs', async () => {
    for (const payload of [
      `{"title":"t","memberIds":${deepArray(20_000)}}`,
      `{"title":${deepObject(9000)},"memberIds":[]}`,
      deepArray(30_000),
      `{"title":"t","memberIds":[],"extra":${deepObject(5000)}}`,
    ]) {
      const { status, code } = await post(payload);
      expect(status, payload.slice(0, 40)).toBe(400);
      expect(['BAD_REQUEST', 'VALIDATION_FAILED']).toContain(code);
    }
  });

  it('refuses huge arrays and objects quickly with a typed error', async () => {
    const manyIds = JSON.stringify({
      title: 't',
      memberIds: Array.from({ length: 6000 }, (_, i) => `u${i}`),
    });
    expect(await post(manyIds)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    const manyKeys = `{"title":"t","memberIds":[],${Array.from({ length: 5000 }, (_, i) => `"k${i}":1`).join(',')}}`;
    const res = await post(manyKeys, `${API_PREFIX}/me/preferences`);
    expect(res.status).toBeLessThan(500);
  });

  it('refuses __proto__ and constructor.prototype keys, and nothing is polluted', async () => {
    const payloads = [
      '{"title":"t","memberIds":[],"__proto__":{"role":"admin","polluted":true}}',
      '{"title":"t","memberIds":[],"constructor":{"prototype":{"polluted":true}}}',
      '{"title":"t","memberIds":[{"__proto__":{"polluted":true}}]}',
    ];
    for (const payload of payloads) {
      const { status, code } = await post(payload);
      expect(status, payload).toBe(400);
      expect(['BAD_REQUEST', 'VALIDATION_FAILED']).toContain(code);
    }
    for (const payload of payloads.map((p) => p.replace('"title":"t","memberIds":[]', '"nickname":"n"'))) {
      const res = await app.http.inject({
        method: 'PATCH',
        url: `${API_PREFIX}/users/me`,
        headers: auth(),
        payload,
      });
      expect(res.statusCode, payload).toBeLessThan(500);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect((await mustCall(app, 'users.me', {}, user.accessToken)).role).toBe('user');
  });

  it('refuses bodies that are not JSON, or JSON that is not an object', async () => {
    const cases: Array<[string | Buffer, Record<string, string>]> = [
      ['title=t&memberIds=', { ...auth(), 'content-type': 'application/x-www-form-urlencoded' }],
      ['<xml/>', { ...auth(), 'content-type': 'application/xml' }],
      ['{"title":"t"', auth()],
      [Buffer.from([0xff, 0xfe, 0x00, 0x7b]), auth()],
      ['"just a string"', auth()],
      ['[{"title":"t","memberIds":[]}]', auth()],
      ['{"title":"t","memberIds":[]}{"title":"u"}', auth()],
    ];
    for (const [payload, headers] of cases) {
      const { status, code } = await post(payload, `${API_PREFIX}/groups`, headers);
      expect(status, String(payload)).toBeGreaterThanOrEqual(400);
      expect(status, String(payload)).toBeLessThan(500);
      expect(code, String(payload)).toBeDefined();
    }
  });

  it('closes a WebSocket that sends a frame over the limit, answers deep JSON with a typed error', async () => {
    const ws = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    ws.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken });
    await ws.next((f) => f.type === 'hello');
    const deep = `{"type":"req","id":"d1","op":"groups.create","body":{"title":"t","memberIds":${deepArray(20_000)}}}`;
    ws.send(deep);
    const answer = await ws.next((f) => f.type === 'res' && f.id === 'd1');
    expect(answer).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/BAD_REQUEST|VALIDATION_FAILED/) },
    });
    ws.send('x'.repeat(app.platform.config.gateway.maxFrameBytes + 1));
    const closed = await ws.closed;
    expect(closed.code).toBe(1009);
  });

  it('keeps serving and wrote nothing', async () => {
    expect((await app.http.inject('/healthz')).statusCode).toBe(200);
    expect(await rowCounts(app)).toEqual(before);
  });
});
