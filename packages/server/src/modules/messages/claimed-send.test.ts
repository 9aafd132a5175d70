import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { eventually } from '../../platform/broker/broker.contract.ts';
import { buildTwoNodes, closeNodes, testDialects } from '../../testing/app.ts';
import { connectDevice, type TestDevice } from '../../testing/devices.ts';
import { registerUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';
import { principalClient, quickClients, text, type TestClient } from '../conversations/messaging.testing.ts';

/** How the claims of a node went so far (zx_send_claims_total by result). */
async function claims(app: App): Promise<Record<string, number>> {
  const { values } = await app.platform.metrics.sendClaims.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.result), v.value]));
}

/** Seqs of a conversation as stored, lowest first. */
async function storedSeqs(app: App, conversationId: string): Promise<number[]> {
  const rows = await app.platform.db
    .selectFrom('messages')
    .select('seq')
    .where('conversation_id', '=', conversationId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => Number(r.seq));
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/**
 * PostgreSQL sends in one statement at the seq a node expects (claimed-send.ts), with two nodes on
 * one database so that each node's expected seqs go stale: every acknowledged message is stored
 * once, at contiguous seqs, whichever way its seq was taken.
 */
describe.skipIf(!testDialects().includes('postgres'))('claimed sends on two nodes (postgres)', () => {
  let nodeA: App;
  let nodeB: App;

  beforeAll(async () => {
    [nodeA, nodeB] = await buildTwoNodes('postgres');
  });
  afterAll(() => closeNodes([nodeA, nodeB]));

  /** A user on node A and the same user's other device on node B. */
  async function userOnBoth(): Promise<[TestClient, TestClient]> {
    const [u] = await quickClients(nodeA, 1);
    return [u!, principalClient(nodeB, u!.userId, `b-${u!.sessionId}`)];
  }

  it('claims in one statement while a node is the only writer, and catches up when the other wrote', async () => {
    const [onA, onB] = await userOnBoth();
    const { id } = await onA.call('conversations.openDirect', { userId: onA.userId });
    const before = await claims(nodeA);
    // Five in a row on A: the first reads the seq (a miss), the other four are claimed at once.
    for (let i = 0; i < 5; i++) await onA.call('messages.send', text(id, `a${i}`));
    const afterRun = await claims(nodeA);
    expect((afterRun.claimed ?? 0) - (before.claimed ?? 0)).toBe(5);
    expect((afterRun.missed ?? 0) - (before.missed ?? 0)).toBe(1);
    // Alternating nodes: each send finds the other node moved the seq on; it still lands in order.
    const sent = [];
    for (let i = 0; i < 10; i++)
      sent.push(await (i % 2 ? onA : onB).call('messages.send', text(id, `x${i}`)));
    expect(sent.map((m) => m.seq)).toEqual(upTo(10).map((n) => n + 5));
    const afterAlternate = await claims(nodeA);
    expect((afterAlternate.missed ?? 0) - (afterRun.missed ?? 0)).toBe(5);
    expect(afterAlternate.transaction ?? 0).toBe(before.transaction ?? 0);
    expect(await storedSeqs(nodeA, id)).toEqual(upTo(15));
    const page = await onB.call('messages.history', { conversationId: id, limit: 15 });
    const oldestFirst = page.messages.slice().reverse();
    expect(oldestFirst.map((m) => (m.content?.kind === 'text' ? m.content.text : ''))).toEqual([
      ...upTo(5).map((n) => `a${n - 1}`),
      ...upTo(10).map((n) => `x${n - 1}`),
    ]);
    expect(page.messages.every((m) => m.integrity !== 'tampered')).toBe(true);
  });

  it('stores every message acknowledged by either node once, at contiguous seqs, under contention', async () => {
    const pairs = await Promise.all(Array.from({ length: 4 }, () => userOnBoth()));
    const ids = await Promise.all(
      pairs.map(async ([onA]) => (await onA.call('conversations.openDirect', { userId: onA.userId })).id),
    );
    const acked = await Promise.all(
      pairs.flatMap(([onA, onB], c) =>
        Array.from({ length: 40 }, (_, i) =>
          (i % 3 ? onA : onB).call('messages.send', text(ids[c]!, `c${c}-${i}`)),
        ),
      ),
    );
    for (const [c, id] of ids.entries()) {
      const mine = acked.filter((m) => m.conversationId === id);
      expect(mine.map((m) => m.seq).sort((a, b) => a - b)).toEqual(upTo(40));
      expect(await storedSeqs(nodeB, id)).toEqual(upTo(40));
      const page = await pairs[c]![0].call('messages.history', { conversationId: id, limit: 40 });
      const byId = new Map(page.messages.map((m) => [m.id, m.seq]));
      for (const m of mine) expect(byId.get(m.id)).toBe(m.seq);
    }
  });

  it("claims a reply at once on the node that delivered the other side's message (seq hints)", async () => {
    const [portA, portB] = [await nodeA.listen(), await nodeB.listen()];
    const [alice, bob] = [await registerUser(nodeA), await registerUser(nodeA)];
    await befriend(nodeA, alice, bob);
    const devices: TestDevice[] = [await connectDevice(portA, alice), await connectDevice(portB, bob)];
    const [onA, onB] = devices as [TestDevice, TestDevice];
    try {
      await eventually(() => expect(nodeA.gateway.locate(bob.userId)).toEqual([nodeB.gateway.nodeId]));
      await eventually(() => expect(nodeB.gateway.locate(alice.userId)).toEqual([nodeA.gateway.nodeId]));
      const opened = await onA.request('conversations.openDirect', { userId: bob.userId });
      const id = (opened.body as { id: string }).id;
      const send = async (device: TestDevice, value: string) => {
        const res = await device.request('messages.send', text(id, value));
        expect(res.ok).toBe(true);
        return res.body as { seq: number };
      };
      // Each node's first send reads the seq (a miss); then they take turns, each after the other
      // node's message reached it: each reply is claimed in one statement, none misses.
      await send(onB, 'b0');
      await onA.nextEvent('message.created.v1');
      await send(onA, 'a0');
      await onB.nextEvent('message.created.v1');
      const before = { a: await claims(nodeA), b: await claims(nodeB) };
      for (let i = 1; i <= 3; i++) {
        const fromB = await send(onB, `b${i}`);
        await onA.nextEvent('message.created.v1');
        const fromA = await send(onA, `a${i}`);
        expect(fromA.seq).toBe(fromB.seq + 1);
        await onB.nextEvent('message.created.v1');
      }
      const after = { a: await claims(nodeA), b: await claims(nodeB) };
      expect((after.a.missed ?? 0) - (before.a.missed ?? 0)).toBe(0);
      expect((after.b.missed ?? 0) - (before.b.missed ?? 0)).toBe(0);
      expect((after.a.claimed ?? 0) - (before.a.claimed ?? 0)).toBe(3);
      expect((after.b.claimed ?? 0) - (before.b.claimed ?? 0)).toBe(3);
      expect(await storedSeqs(nodeA, id)).toEqual(upTo(8));
    } finally {
      for (const device of devices) device.ws.close();
    }
  });

  it('answers a retry sent to the other node with the stored message, and refuses a changed one', async () => {
    const [onA, onB] = await userOnBoth();
    const { id } = await onA.call('conversations.openDirect', { userId: onA.userId });
    await onB.call('messages.send', text(id, 'warm B'));
    const once = text(id, 'once');
    const first = await onA.call('messages.send', once);
    const again = await onB.call('messages.send', once);
    expect(again).toMatchObject({ id: first.id, seq: first.seq });
    expect(await onB.fail('messages.send', text(id, 'changed', once.clientId))).toMatchObject({
      code: 'DUPLICATE_CLIENT_ID',
    });
    // The statement that met the stored client id took nothing: the next send is the next seq.
    const next = await onB.call('messages.send', text(id, 'after'));
    expect(next.seq).toBe(first.seq + 1);
    expect(await storedSeqs(nodeA, id)).toEqual(upTo(3));
  });
});
