import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../platform/broker/broker.contract.ts';
import { NatsBroker } from '../platform/broker/nats.ts';
import { testSubjectPrefix } from '../platform/broker/testing.ts';
import { startTestNode, TestClient, uid, type TestNode } from './testing.ts';

const natsUrl = process.env.ZX_TEST_NATS_URL;
const ci = process.env.CI === 'true';

/** A TCP relay in front of NATS that can be taken down (every link cut, new ones refused) and back up. */
async function startRelay(
  target: URL,
): Promise<{ url: string; down(): void; up(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let isDown = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server: Server = createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 4222) });
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  return {
    url: `nats://127.0.0.1:${address.port}`,
    down: () => {
      isDown = true;
      sockets.forEach((s) => s.destroy());
    },
    up: () => {
      isDown = false;
    },
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe.skipIf(!natsUrl)('a gateway whose NATS connection is lost and comes back', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('tells the clients whose deliveries were lost to catch up, and asks the other nodes who is online again', async () => {
    const relay = await startRelay(new URL(natsUrl as string));
    cleanups.push(() => relay.close());
    const subjectPrefix = testSubjectPrefix();
    const cutBroker = await NatsBroker.connect(relay.url, { subjectPrefix });
    const otherBroker = await NatsBroker.connect(natsUrl as string, { subjectPrefix });
    cleanups.push(
      () => cutBroker.close(),
      () => otherBroker.close(),
    );
    // Slow beats: only the rejoin after the reconnect can bring back what the cut node missed.
    const gateway = { nodeHeartbeatMs: 600_000 };
    const cutNode: TestNode = await startTestNode({ broker: cutBroker, gateway });
    const otherNode: TestNode = await startTestNode({ broker: otherBroker, gateway });
    cleanups.push(
      () => cutNode.close(),
      () => otherNode.close(),
    );

    const [aliceId, carolId] = [uid(), uid()];
    const alice = await TestClient.login(cutNode.url, aliceId);
    const carol = await TestClient.login(cutNode.url, carolId);
    cleanups.push(
      () => alice.close(),
      () => carol.close(),
    );
    await eventually(() => expect(otherNode.gateway.isOnline(carolId)).toBe(true));
    otherNode.gateway.events.emit([aliceId, carolId], 'conversation.changed.v1', {
      conversationId: 'before',
      reason: 'title',
    });
    await alice.next((f) => f.type === 'event' && f.event === 'conversation.changed.v1');
    await carol.next((f) => f.type === 'event' && f.event === 'conversation.changed.v1');

    relay.down();
    // The broker knows its link is down: the cluster link then takes nobody's silence for death.
    await eventually(() => expect(cutBroker.connected).toBe(false));
    expect(otherBroker.connected).toBe(true);
    // Bob comes online while the cut node cannot hear it, and alice is sent an event it never gets.
    const bobId = uid();
    const bob = await TestClient.login(otherNode.url, bobId);
    cleanups.push(() => bob.close());
    await eventually(() => expect(otherNode.gateway.isOnline(bobId)).toBe(true));
    otherNode.gateway.events.emit([aliceId], 'conversation.changed.v1', {
      conversationId: 'lost',
      reason: 'title',
    });
    await new Promise((r) => setTimeout(r, 200)); // bob's presence batch (50 ms) is sent and lost
    expect(cutNode.gateway.isOnline(bobId)).toBe(false);
    expect(alice.events('sync.hint.v1')).toEqual([]);

    relay.up();
    // nats.js retries every 1-1.5 s; once back, the other node says what it sent: alice, whose
    // event was lost, is told to catch up at once, and the directory learns of bob.
    const hint = await alice.next((f) => f.type === 'event' && f.event === 'sync.hint.v1', 10_000);
    expect(hint).toMatchObject({ body: {} });
    expect(cutBroker.connected).toBe(true);
    await eventually(() => expect(cutNode.gateway.isOnline(bobId)).toBe(true), 10_000);
    // Carol lost nothing: her device is left alone.
    await new Promise((r) => setTimeout(r, 300));
    expect(carol.events('sync.hint.v1')).toEqual([]);
    expect(bob.events('sync.hint.v1')).toEqual([]);
    expect(alice.events('conversation.changed.v1')).toHaveLength(1);
    // The node counts whom it told: one connection, as a recipient of a lost push; nobody as "all".
    const { values } = await cutNode.platform.metrics.wsCatchUpHints.get();
    expect(values.map((v) => [v.labels.scope, v.value])).toEqual([['users', 1]]);
  }, 30_000);
});

if (!natsUrl && ci) {
  it('runs the broker reconnect test against NATS in CI', () => {
    throw new Error('CI=true but ZX_TEST_NATS_URL is not set');
  });
}
