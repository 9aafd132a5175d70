import { describe, expect, it, vi } from 'vitest';
import { eventually } from '../platform/broker/broker.contract.ts';
import { MemoryBroker } from '../platform/broker/index.ts';
import { createLogger } from '../platform/logger.ts';
import { ClusterLink, DELIVERY_CHUNK, presenceBatchMs, type ClusterHooks } from './cluster.ts';
import { PresenceDirectory, type PresenceChange } from './directory.ts';
import { Subjects, type DeliverMessage } from './subjects.ts';
import { TapBroker } from './testing.ts';

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
    expect(big.tap.count(Subjects.node('late'))).toBe(3);
    expect(late.changes).toHaveLength(many.length);
    await Promise.all([big.link.stop(), late.link.stop()]);
  });

  it('publishes a burst of presence changes as one message, last state per user, and still reads the one-user form', async () => {
    const broker = new MemoryBroker();
    const a = link(broker, 'a', []);
    const b = link(broker, 'b', []);
    a.link.start();
    b.link.start();
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
      expect(beats[0]?.msg).toEqual({ nodeId: 'a', users: 2, connections: 5 });
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

  it('asks a node for a snapshot when its heartbeat counts other users than the directory', async () => {
    const broker = new MemoryBroker();
    const users = ['a', 'b'];
    const b = link(broker, 'b', users, 20);
    const a = link(broker, 'a', [], 20);
    b.link.start();
    a.link.start();
    await eventually(() => expect(a.directory.countOn('b')).toBe(2));
    // A presence message lost in a broker outage: `b` has `c`, the directory of `a` does not.
    users.push('c');
    b.directory.set('b', 'c', true);
    // b's next beats count 3: once the quiet period after start is over, `a` asks for b's list.
    await eventually(() => expect(a.directory.isOnline('c')).toBe(true));
    expect(a.tap.published.filter((s) => s === Subjects.snapshotRequest).length).toBeLessThanOrEqual(3);
    await Promise.all([a.link.stop(), b.link.stop()]);
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
