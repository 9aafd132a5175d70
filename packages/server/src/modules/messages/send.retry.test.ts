import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { MemoryBroker } from '../../platform/broker/index.ts';
import { freshDatabaseUrl } from '../../platform/db/testing.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  eventsNamed,
  principalClient,
  quickClients,
  recordEvents,
  text,
  type RecordedEvent,
  type TestClient,
} from '../conversations/messaging.testing.ts';

/**
 * A batch is first committed without looking its client ids up; a retry in it fails the insert and
 * the batch goes again with lookups. These cases mix retries into batches, on one node and on two.
 */
describe.each(testDialects())('retried sends in a group commit (%s)', (dialect) => {
  let nodeA: App;
  let nodeB: App;
  let events: RecordedEvent[];
  let alice: TestClient;
  let bob: TestClient;
  let group: string;

  beforeAll(async () => {
    const broker = new MemoryBroker();
    const databaseUrl = await freshDatabaseUrl(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-retries-'));
    nodeA = await buildTestApp({ databaseUrl, dataDir, broker });
    nodeB = await buildTestApp({ databaseUrl, dataDir, broker });
    events = recordEvents(nodeA);
    [alice, bob] = (await quickClients(nodeA, 2)) as [TestClient, TestClient];
    group = (await alice.call('groups.create', { title: 'retries', memberIds: [bob.userId] })).id;
  });
  afterAll(async () => {
    await nodeB.close();
    await nodeA.close();
  });

  const history = async (afterSeq: number) =>
    (await alice.call('messages.history', { conversationId: group, afterSeq, limit: 200 })).messages;

  it('answers retries inside a batch of new sends, refuses a changed one, and leaves no gap', async () => {
    const originals = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        alice.call('messages.send', text(group, `original ${i}`, `mix-retry-${i}`)),
      ),
    );
    const last = Math.max(...originals.map((m) => m.seq));
    const mark = events.length;
    const { splits } = nodeA.services.messages.commitStats();
    const calls: Array<Promise<Message>> = [];
    for (let i = 0; i < 20; i++) {
      calls.push(bob.call('messages.send', text(group, `fresh ${i}`)));
      if (i % 4 === 0)
        calls.push(alice.call('messages.send', text(group, `original ${i / 4}`, `mix-retry-${i / 4}`)));
    }
    const changed = alice.fail('messages.send', text(group, 'not the original', 'mix-retry-0'));
    const answers = await Promise.all(calls);
    expect(await changed).toMatchObject({ code: 'DUPLICATE_CLIENT_ID' });

    const retried = answers.filter((m) => m.clientId.startsWith('mix-retry-'));
    expect(retried).toEqual([0, 1, 2, 3, 4].map((i) => originals[i]));
    const fresh = answers.filter((m) => !m.clientId.startsWith('mix-retry-'));
    expect(fresh.map((m) => m.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => last + 1 + i),
    );
    expect(eventsNamed(events, 'message.created.v1', mark)).toHaveLength(20);
    // The batch went again with lookups, not one send at a time.
    expect(nodeA.services.messages.commitStats().splits).toBe(splits);
    expect((await history(last)).map((m) => m.seq)).toEqual(fresh.map((m) => m.seq).sort((a, b) => a - b));
  });

  it('stores one message per client id sent through two nodes at once', async () => {
    const bobOnB = principalClient(nodeB, bob.userId, 'bob-on-b');
    const before = (await alice.call('conversations.get', { conversationId: group })).lastSeq;
    const bodies = Array.from({ length: 30 }, (_, i) => text(group, `both ${i}`, `both-nodes-${i}`));
    const [onA, onB] = await Promise.all([
      Promise.all(bodies.map((b) => bob.call('messages.send', b))),
      Promise.all(bodies.map((b) => bobOnB.call('messages.send', b))),
    ]);
    expect(onB).toEqual(onA);
    const stored = await history(before);
    expect(stored.map((m) => m.clientId).sort()).toEqual(bodies.map((b) => b.clientId).sort());
    expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => before + 1 + i));
  });
});
