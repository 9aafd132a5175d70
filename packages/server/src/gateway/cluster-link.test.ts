import { describe, expect, it, vi } from 'vitest';
import { eventually } from '../platform/broker/broker.contract.ts';
import { MemoryBroker } from '../platform/broker/index.ts';
import { createLogger } from '../platform/logger.ts';
import { ClusterLink, DELIVERY_CHUNK, type ClusterHooks } from './cluster.ts';
import { presenceBatchMs } from './presence-batch.ts';
import { PresenceDirectory, type PresenceChange } from './directory.ts';
import { answerWindowMs } from './snapshots.ts';
import { Subjects, type DeliverMessage } from './subjects.ts';
import { TapBroker } from './testing.ts';
import { digestOf } from './user-set-digest.ts';

function link(broker: MemoryBroker, self: string, users: string[], heartbeatMs = 60_000, connections = 0) {
  const directory = new PresenceDirectory();
  const changes: PresenceChange[] = [];
  const delivered: DeliverMessage[] = [];
  const hooks: ClusterHooks = {
    deliver: (m) => delivered.push(m),
    deliverToAll: () => {},
    changed: (c) => changes.push(...c),
    joined: () => {},
    localUsers: () => users,
    localUserCount: () => users.length,
    localConnectionCount: () => connections,
    missed: () => {},
  };
  for (const u of users) directory.set(self, u, true);
  const tap = new TapBroker(broker);
  const l = new ClusterLink(tap, self, directory, hooks, createLogger('silent'), {
    heartbeatMs,
    missedBeats: 3,
  });
  return { link: l, directory, changes, delivered, tap };
}

describe('ClusterLink', () => {
  it('sends a large user list as a snapshot in parts and applies it at once', async () => {
    const broker = new MemoryBroker();
    const many = Array.from({ length: 12_345 }, (_, i) => `u${i}`);
    const big = link(broker, 'big', many);
    big.link.start();
    const late = link(broker, 'late', []);
    late.link.start();
    await eventually(() => expect(late.directory.countOn('big')).toBe(many.length));
    expect(big.tap.count(Subjects.node('late'), 'snapshot')).toBe(3);
    expect(late.changes).toHaveLength(many.length);
    await Promise.all([big.link.stop(), late.link.stop()]);
  });

  it('publishes a burst of presence changes as one message, last state per user, and still reads the one-user form', async () => {
    const broker = new MemoryBroker();
    const a = link(broker, 'a', []);
    const b = link(broker, 'b', []);
    a.link.start();
    b.link.start();
    // a's answer to b's start request (its hooks' empty list) is out of the way first.
    await eventually(() => expect(a.tap.count(Subjects.node('b'), 'snapshot')).toBe(1));
    for (let i = 0; i < 500; i++) a.link.announce(`u${i}`, true);
    a.link.announce('u0', false);
    await eventually(() => expect(b.directory.countOn('a')).toBe(499));
    // (The prefix also counts the snapshot request every link sends when it starts.)
    expect(a.tap.count(Subjects.presence) - a.tap.count(Subjects.snapshotRequest)).toBe(1);
    expect(b.directory.isOnline('u0')).toBe(false);
    // A node of the previous version announces one user per message.
    broker.publish(Subjects.presence, { nodeId: 'a', userId: 'u0', online: true });
    await eventually(() => expect(b.directory.isOnline('u0')).toBe(true));
    await Promise.all([a.link.stop(), b.link.stop()]);
  });

  it('widens the window of snapshot answers with the cluster, within a fifth of a beat and 1 s', () => {
    expect([1, 2, 32, 64].map((nodes) => answerWindowMs(5000, nodes))).toEqual([25, 50, 800, 1000]);
    expect(answerWindowMs(1000, 32)).toBe(200);
    expect(answerWindowMs(20, 32)).toBe(4);
  });

  it('widens the presence batch window with the cluster, so a node reads a bounded number of batches', () => {
    expect([1, 8, 9, 16, 17, 32, 33, 64, 65, 500].map(presenceBatchMs)).toEqual([
      50, 50, 100, 100, 150, 200, 250, 400, 400, 400,
    ]);
  });

  it('puts changes 100 ms apart into one batch in a cluster of 17 nodes (150 ms window)', async () => {
    // A whole multiple of 150 ms on the clock: the window starts with the first change.
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const a = link(new MemoryBroker(), 'a', []);
    try {
      for (let i = 0; i < 16; i++) a.directory.touch(`n${i}`, Date.now());
      a.link.start();
      const batches = () => a.tap.count(Subjects.presence) - a.tap.count(Subjects.snapshotRequest);
      a.link.announce('u1', true);
      await vi.advanceTimersByTimeAsync(100);
      a.link.announce('u2', true);
      expect(batches()).toBe(0);
      await vi.advanceTimersByTimeAsync(60);
      expect(batches()).toBe(1);
    } finally {
      vi.useRealTimers();
      await a.link.stop();
    }
  });

  it('beats on the multiples of the period on the clock, with the node counts, the same instants on every node', async () => {
    // 250 ms past a multiple of the 1-s period.
    vi.useFakeTimers({ now: 1_800_000_000_250 });
    const broker = new MemoryBroker();
    const a = link(broker, 'a', ['u1', 'u2'], 1000, 5);
    const b = link(broker, 'b', [], 1000, 0);
    const beats: { at: number; msg: unknown }[] = [];
    broker.subscribe(Subjects.heartbeat, (msg) => beats.push({ at: Date.now(), msg }));
    try {
      a.link.start();
      await vi.advanceTimersByTimeAsync(300);
      b.link.start();
      await vi.advanceTimersByTimeAsync(2000);
      // Each beats once at start, then at the whole seconds only, whenever it started.
      const later = beats.slice(2);
      expect(later.map((x) => x.at % 1000)).toEqual([0, 0, 0, 0]);
      expect(later.map((x) => x.at)).toEqual([
        1_800_000_001_000, 1_800_000_001_000, 1_800_000_002_000, 1_800_000_002_000,
      ]);
      expect(beats[0]?.msg).toEqual({
        nodeId: 'a',
        users: 2,
        connections: 5,
        digest: digestOf(['u1', 'u2']),
        sent: {},
        everyone: 0,
      });
      // b learns a's counts from its beats.
      expect(b.directory.summaries().find((n) => n.nodeId === 'a')).toMatchObject({
        users: 2,
        connections: 5,
      });
    } finally {
      vi.useRealTimers();
      await Promise.all([a.link.stop(), b.link.stop()]);
    }
  });

  /** On a fake clock, `a` (1-s beats) knows of `b` holding `u1`; `b` never beats again. */
  async function withSilentPeer(run: (a: ReturnType<typeof link>) => Promise<void>) {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
    const a = link(new MemoryBroker(), 'a', [], 1000);
    try {
      a.directory.touch('b', Date.now());
      a.directory.set('b', 'u1', true);
      a.link.start();
      await run(a);
    } finally {
      vi.useRealTimers();
      await a.link.stop();
    }
  }

  it('does not drop the other nodes on the first beat after this node was stalled, but on the next', () =>
    withSilentPeer(async (a) => {
      // a's event loop was blocked for 20 s: b's beats wait unread while a's beat timer runs.
      vi.setSystemTime(Date.now() + 20_000);
      await vi.advanceTimersToNextTimerAsync();
      expect(a.directory.isOnline('u1')).toBe(true);
      // b really is silent: the next beat, on time, drops it.
      await vi.advanceTimersByTimeAsync(1000);
      expect(a.directory.isOnline('u1')).toBe(false);
    }));

  it('drops no node while its own broker link is down, and gives them all a new grace period when it is back', () =>
    withSilentPeer(async (a) => {
      a.tap.linkDown = true;
      // 20 beats deaf: b's silence is a's.
      await vi.advanceTimersByTimeAsync(20_000);
      expect(a.directory.isOnline('u1')).toBe(true);
      a.tap.linkDown = false;
      a.link.rejoin();
      await vi.advanceTimersByTimeAsync(2500);
      expect(a.directory.isOnline('u1')).toBe(true);
      // b stays silent through the new grace period (more than 3 beats): now it is dropped.
      await vi.advanceTimersByTimeAsync(1500);
      expect(a.directory.isOnline('u1')).toBe(false);
    }));

  it('splits only a huge delivery into several publishes', () => {
    const broker = new MemoryBroker();
    const a = link(broker, 'a', []);
    expect(a.link.deliverTo('b', { frame: '{}' }, ['x', 'y'])).toBe(1);
    expect(
      a.link.deliverTo(
        'b',
        { frame: '{}' },
        Array.from({ length: DELIVERY_CHUNK + 1 }, (_, i) => `u${i}`),
      ),
    ).toBe(2);
  });

  /** `b` holds `users` and `a` has learned them; both beat every 20 ms. */
  async function pairInStep(users: string[]) {
    const broker = new MemoryBroker();
    const b = link(broker, 'b', users, 20);
    const a = link(broker, 'a', [], 20);
    b.link.start();
    a.link.start();
    await eventually(() => expect(a.directory.countOn('b')).toBe(users.length));
    return { a, b };
  }

  it('asks a node for a snapshot when its heartbeat counts other users than the directory', async () => {
    const users = ['a', 'b'];
    const { a, b } = await pairInStep(users);
    // A presence message lost in a broker outage: `b` has `c`, the directory of `a` does not.
    users.push('c');
    b.directory.set('b', 'c', true);
    // b's next beats count 3: once the quiet period after start is over, `a` asks for b's list.
    await eventually(() => expect(a.directory.isOnline('c')).toBe(true));
    expect(a.tap.published.filter((s) => s === Subjects.snapshotRequest).length).toBeLessThanOrEqual(3);
    await Promise.all([a.link.stop(), b.link.stop()]);
  });

  it('asks a node whose beat counts as many users as the directory but other ones (digest)', async () => {
    const users = ['a', 'b'];
    const { a, b } = await pairInStep(users);
    // Lost in an outage: `a` went offline on b and `c` came online, the same count.
    users.splice(0, 1, 'c');
    b.directory.set('b', 'a', false);
    b.directory.set('b', 'c', true);
    await eventually(() => expect(a.directory.isOnline('c')).toBe(true));
    expect(a.directory.isOnline('a')).toBe(false);
    expect(a.directory.digestOn('b')).toBe(b.directory.digestOn('b'));
    await Promise.all([a.link.stop(), b.link.stop()]);
  });

  it('sends a rejoining node only the lists whose digest it holds wrong', async () => {
    const broker = new MemoryBroker();
    const onC = ['c1', 'c2'];
    const a = link(broker, 'a', ['a1']);
    const b = link(broker, 'b', ['b1', 'b2', 'b3']);
    const c = link(broker, 'c', onC);
    // a starts last: its request at start gets the lists of both.
    for (const n of [b, c, a]) n.link.start();
    await eventually(() => expect(a.directory.onlineUsers).toBe(6));
    const answeredBy = (n: { tap: TapBroker }) => n.tap.count(Subjects.node('a'), 'snapshot');
    const before = [answeredBy(b), answeredBy(c)];
    // c3 came online on c while a was cut off from the broker: a's list of c is stale.
    onC.push('c3');
    c.directory.set('c', 'c3', true);
    a.link.rejoin();
    await eventually(() => expect(a.directory.isOnline('c3')).toBe(true));
    await new Promise((r) => setTimeout(r, 2 * answerWindowMs(60_000, 3)));
    expect([answeredBy(b) - before[0]!, answeredBy(c) - before[1]!]).toEqual([0, 1]);
    await Promise.all([a, b, c].map((n) => n.link.stop()));
  });

  it('answers requests that come together with one publish for all, but a node of an older version alone', async () => {
    const broker = new MemoryBroker();
    const a = link(broker, 'a', ['a1', 'a2']);
    a.link.start();
    await broker.flush();
    const before = a.tap.count(Subjects.snapshots);
    // Three nodes start (or come back) together and ask for every list: a publishes its list once.
    const askers = ['b', 'c', 'd'].map((id) => link(broker, id, []));
    for (const n of askers) n.link.start();
    await eventually(() => {
      for (const n of askers) expect(n.directory.countOn('a')).toBe(2);
    });
    expect(a.tap.count(Subjects.snapshots) - before).toBe(1);
    expect(['b', 'c', 'd'].map((id) => a.tap.count(Subjects.node(id), 'snapshot'))).toEqual([0, 0, 0]);
    // An asker without `shared` (an older version) is answered on its own subject, and so then
    // is every asker of that round.
    broker.publish(Subjects.snapshotRequest, { nodeId: 'b', target: 'a' });
    broker.publish(Subjects.snapshotRequest, { nodeId: 'c', target: 'a', shared: true });
    await eventually(() =>
      expect(['b', 'c'].map((id) => a.tap.count(Subjects.node(id), 'snapshot'))).toEqual([1, 1]),
    );
    expect(a.tap.count(Subjects.snapshots) - before).toBe(1);
    await Promise.all([a, ...askers].map((n) => n.link.stop()));
  });

  it('drops malformed cluster messages without failing', async () => {
    const broker = new MemoryBroker();
    const a = link(broker, 'a', []);
    a.link.start();
    broker.publish(Subjects.presence, { nodeId: 7 });
    broker.publish(Subjects.node('a'), { t: 'deliver', recipients: 'x', frame: 1 });
    broker.publish(Subjects.heartbeat, 'nonsense');
    await broker.flush();
    expect(a.delivered).toEqual([]);
    expect(a.directory.onlineUsers).toBe(0);
    await a.link.stop();
  });
});
