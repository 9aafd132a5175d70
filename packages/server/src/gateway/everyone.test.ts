import { CloseCode } from '@zhixin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestNode, TestClient, uid, type Frame, type TestNode } from './testing.ts';

let node: TestNode | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await node?.close();
  node = undefined;
});

/** A node that writes one connection per slice of a delivery to everyone, and `n` users on it. */
async function nodeWith(n: number): Promise<{ node: TestNode; users: string[]; conns: TestClient[] }> {
  node = await startTestNode({ gateway: { everyone: { maxSlice: 1 } } });
  const users = Array.from({ length: n }, () => uid());
  for (const u of users) clients.push(await TestClient.login(node.url, u));
  return { node, users, conns: [...clients] };
}

const changed = (reason: 'title' | 'members') => ({ conversationId: 'channel', reason }) as const;
const reasonOf = (f: Frame) => (f.body as { reason?: string } | undefined)?.reason;

describe('events for everyone on one node, written a slice at a time', () => {
  it('reach every connection in the order emitted, before a later event to one of them', async () => {
    const { node, users, conns } = await nodeWith(5);
    const { events } = node.gateway;
    events.emitToAll('conversation.changed.v1', changed('title'));
    events.emitToAll('conversation.changed.v1', changed('members'));
    events.emit([users[4]!], 'typing.v1', { conversationId: 'c', userId: users[0]!, typing: true });
    for (const c of conns) await c.next((f) => reasonOf(f) === 'members');
    const last = conns[4]!;
    await last.next((f) => f.event === 'typing.v1');
    for (const c of conns.slice(0, 4)) expect(c.events().map(reasonOf)).toEqual(['title', 'members']);
    expect(last.events().map((f) => f.event)).toEqual([
      'conversation.changed.v1',
      'conversation.changed.v1',
      'typing.v1',
    ]);
  });

  it('shuts down cleanly while a delivery is under way', async () => {
    const { node, conns } = await nodeWith(4);
    node.gateway.events.emitToAll('conversation.changed.v1', changed('title'));
    await node.gateway.close();
    for (const c of conns) {
      expect(await c.closed).toEqual({ code: CloseCode.server_shutdown, reason: 'server_shutdown' });
      // The connections closed before their slice came: nothing more was written after the bye.
      expect(c.frames.at(-1)).toEqual({ type: 'bye', reason: 'server_shutdown' });
    }
  });
});
