import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZhixinClient } from '@zhixin/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../packages/server/src/platform/db/testing.ts';
import { testDialects, testNatsUrl } from '../packages/server/src/testing/app.ts';
import { eventually, newClient, nextEvent, signUp, startServer, type RunningServer } from './support.ts';

// Two server processes' worth of nodes in one test process: each has its own gateway, broker
// connection and database pool; they share only PostgreSQL and NATS, as separate machines would.
const enabled = testDialects().includes('postgres') && testNatsUrl() !== undefined;

describe.runIf(enabled)('a two-node cluster on PostgreSQL + NATS', () => {
  let node1: RunningServer;
  let node2: RunningServer;
  const clients: ZhixinClient[] = [];
  const on = (node: RunningServer, name: string) => {
    const c = newClient(node, name);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const databaseUrl = await freshDatabaseUrl('postgres');
    // The same data dir gives both nodes the same (development) custodian passwords.
    const dataDir = mkdtempSync(join(tmpdir(), 'zx-cluster-'));
    node1 = await startServer({ databaseUrl, dataDir, nats: true });
    node2 = await startServer({ databaseUrl, dataDir, nats: true });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await node1?.app.close();
    await node2?.app.close();
  });

  it('delivers messages, receipts and presence between users on different nodes', async () => {
    const alice = on(node1, 'alice@node1');
    const bob = on(node2, 'bob@node2');
    const carol = on(node2, 'carol@node2');
    const ua = await signUp(node1, alice, 'Alice');
    const ub = await signUp(node2, bob, 'Bob');
    const uc = await signUp(node2, carol, 'Carol');
    await Promise.all([alice.connect(), bob.connect(), carol.connect()]);

    await eventually(async () => {
      expect(await bob.users.presence([ua.userId])).toEqual([{ userId: ua.userId, online: true }]);
    });

    const chat = await alice.conversations.openDirect(ub.userId);
    const atBob = nextEvent(bob, 'message.created', (m) => m.conversationId === chat.id);
    const sent = await alice.messages.sendText(chat.id, '跨节点的消息');
    expect((await atBob).seq).toBe(sent.seq);

    const receipt = nextEvent(alice, 'conversation.read', (r) => r.userId === ub.userId);
    await bob.messages.markRead(chat.id, sent.seq);
    expect((await receipt).readSeq).toBe(sent.seq);

    const group = await bob.conversations.createGroup('两地小组', [ua.userId, uc.userId]);
    const atAlice = nextEvent(alice, 'message.created', (m) => m.conversationId === group.id);
    const atCarol = nextEvent(carol, 'message.created', (m) => m.conversationId === group.id);
    await bob.messages.sendText(group.id, '大家好');
    await Promise.all([atAlice, atCarol]);

    const offline = nextEvent(bob, 'presence', (p) => p.userId === ua.userId && !p.online);
    await alice.close();
    await offline;
  });

  it('keeps seqs contiguous when both nodes send to one group at once', async () => {
    const a = on(node1, 'a');
    const b = on(node2, 'b');
    await signUp(node1, a, 'A');
    const ub = await signUp(node2, b, 'B');
    await Promise.all([a.connect(), b.connect()]);
    const group = await a.conversations.createGroup('并发', [ub.userId]);
    const sends = [];
    for (let i = 0; i < 40; i++) {
      sends.push(a.messages.sendText(group.id, `a${i}`), b.messages.sendText(group.id, `b${i}`));
    }
    const seqs = (await Promise.all(sends)).map((m) => m.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
  });
});

describe.runIf(!enabled)('a two-node cluster', () => {
  it('needs ZX_TEST_PG_URL and ZX_TEST_NATS_URL (set by .ci/run)', () => {
    expect(process.env.CI).not.toBe('true');
  });
});
