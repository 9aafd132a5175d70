import { CloseCode } from '@zhixin/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spreadSyncHintFrame } from './delivery.ts';
import { startTestNode, TestClient, uid, type TestNode } from './testing.ts';

let node: TestNode;
const clients: TestClient[] = [];
async function login(user: string, session?: string): Promise<TestClient> {
  const c = await TestClient.login(node.url, user, session);
  clients.push(c);
  return c;
}
const settle = () => new Promise((r) => setTimeout(r, 30));

beforeEach(async () => {
  node = await startTestNode();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await node.close();
});

describe('event delivery on one node', () => {
  it('pushes an event to every connection of every recipient, and to nobody else', async () => {
    const [alice, bob, carol] = [uid('a'), uid('b'), uid('c')];
    const a1 = await login(alice, 'a1');
    const a2 = await login(alice, 'a2');
    const b1 = await login(bob, 'b1');
    const c1 = await login(carol, 'c1');
    node.gateway.events.emit([alice, bob, alice, uid('offline')], 'typing.v1', {
      conversationId: 'conv',
      userId: carol,
      typing: true,
    });
    for (const c of [a1, a2, b1]) {
      expect(await c.next((f) => f.type === 'event')).toEqual({
        type: 'event',
        event: 'typing.v1',
        body: { conversationId: 'conv', userId: carol, typing: true },
      });
    }
    await settle();
    expect(c1.events()).toEqual([]);
    // Each connection got it exactly once, although alice was listed twice.
    expect(a1.events()).toHaveLength(1);
  });

  it('skips the session that caused the event', async () => {
    const alice = uid('a');
    const sender = await login(alice, 'phone');
    const other = await login(alice, 'desktop');
    node.gateway.events.emit(
      [alice],
      'member.settings.v1',
      { conversationId: 'c', readSeq: 3, pinned: true, muted: false, hidden: false, draft: null },
      { exceptSessionId: 'phone' },
    );
    await other.next((f) => f.type === 'event');
    await settle();
    expect(sender.events()).toEqual([]);
  });

  it('delivers session.revoked.v1 and then closes that session only', async () => {
    const alice = uid('a');
    const revoked = await login(alice, 'old-phone');
    const kept = await login(alice, 'desktop');
    node.gateway.events.emit([alice], 'session.revoked.v1', { sessionId: 'old-phone' });
    expect(await revoked.closed).toEqual({ code: CloseCode.session_revoked, reason: 'session_revoked' });
    expect(revoked.frames.slice(-2)).toEqual([
      { type: 'event', event: 'session.revoked.v1', body: { sessionId: 'old-phone' } },
      { type: 'bye', reason: 'session_revoked' },
    ]);
    await kept.next((f) => f.event === 'session.revoked.v1');
    expect(kept.ws.readyState).toBe(1);
    expect(node.gateway.isOnline(alice)).toBe(true);
  });
});

describe('presence on one node', () => {
  it('answers presence.query from the directory', async () => {
    const [alice, bob, nobody] = [uid('a'), uid('b'), uid('n')];
    const a = await login(alice);
    await login(bob);
    const res = await a.request('presence.query', { userIds: [bob, nobody, bob] });
    expect(res).toMatchObject({
      ok: true,
      body: {
        presence: [
          { userId: bob, online: true },
          { userId: nobody, online: false },
        ],
      },
    });
  });

  it('tells a watching connection when a queried user comes and goes, once per change', async () => {
    const [alice, bob] = [uid('a'), uid('b')];
    const a = await login(alice);
    const other = await login(uid('x'));
    await a.request('presence.query', { userIds: [bob] });
    const b1 = await login(bob, 'b1');
    expect(await a.next((f) => f.event === 'presence.v1')).toEqual({
      type: 'event',
      event: 'presence.v1',
      body: { userId: bob, online: true },
    });
    const b2 = await login(bob, 'b2');
    b1.close();
    await b1.closed;
    await settle();
    // Still online through b2: no change to report.
    expect(a.events('presence.v1')).toHaveLength(1);
    b2.close();
    await b2.closed;
    await a.next((f) => f.event === 'presence.v1' && (f.body as { online: boolean }).online === false);
    expect(a.events('presence.v1')).toHaveLength(2);
    expect(other.events('presence.v1')).toEqual([]);
  });

  it('rejects an invalid presence query', async () => {
    const a = await login(uid('a'));
    expect(await a.request('presence.query', { userIds: [] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});

describe('spreadSyncHintFrame', () => {
  it("spreads a whole node's catch-ups at ~500 a second, within 1 to 60 s", () => {
    const spread = (n: number) => (JSON.parse(spreadSyncHintFrame(n)) as { body: { spreadMs: number } }).body;
    expect([0, 1, 500, 18_750, 30_000, 600_000].map((n) => spread(n).spreadMs)).toEqual([
      1000, 1000, 1000, 37_500, 60_000, 60_000,
    ]);
    expect(JSON.parse(spreadSyncHintFrame(1))).toEqual({
      type: 'event',
      event: 'sync.hint.v1',
      body: { spreadMs: 1000 },
    });
  });
});
