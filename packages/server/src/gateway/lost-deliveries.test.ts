import { describe, expect, it } from 'vitest';
import { eventually } from '../platform/broker/broker.contract.ts';
import { MemoryBroker } from '../platform/broker/index.ts';
import { createLogger } from '../platform/logger.ts';
import { ClusterLink, type ClusterHooks } from './cluster.ts';
import { MAX_LOST_RECIPIENTS } from './delivery-sequences.ts';
import { PresenceDirectory } from './directory.ts';
import type { Missed } from './lost-deliveries.ts';
import { Subjects } from './subjects.ts';
import { TapBroker } from './testing.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A node on `broker` whose `missed` hook calls are kept (users sorted, or 'all'). */
function node(broker: MemoryBroker, self: string, heartbeatMs = 60_000) {
  const missed: Array<string[] | 'all'> = [];
  const delivered: string[][] = [];
  const hooks: ClusterHooks = {
    deliver: (m) => delivered.push(m.recipients),
    deliverToAll: () => {},
    changed: () => {},
    joined: () => {},
    localUsers: () => [],
    localUserCount: () => 0,
    localConnectionCount: () => 0,
    missed: (who: Missed) => missed.push(who === 'all' ? 'all' : [...who].sort()),
  };
  const tap = new TapBroker(broker);
  const link = new ClusterLink(tap, self, new PresenceDirectory(), hooks, createLogger('silent'), {
    heartbeatMs,
    missedBeats: 3,
  });
  link.start();
  return { link, tap, missed, delivered };
}

/** Two started nodes: b learned where a's numbering starts from a's answer to its start. */
async function pair(heartbeatMs = 60_000) {
  const broker = new MemoryBroker();
  const a = node(broker, 'a', heartbeatMs);
  const b = node(broker, 'b', heartbeatMs);
  await sleep(5);
  return { broker, a, b, stop: () => Promise.all([a.link.stop(), b.link.stop()]) };
}

/** What `send` publishes is lost to `to` (its link hears nothing until it has passed). */
async function lose(to: { tap: TapBroker }, send: () => void): Promise<void> {
  to.tap.cut = true;
  send();
  await sleep(5);
  to.tap.cut = false;
}

describe('deliveries lost between nodes', () => {
  it('are found at the next delivery, and only their recipients catch up', async () => {
    const { a, b, stop } = await pair();
    a.link.deliverTo('b', { frame: '{}' }, ['x']);
    await sleep(5);
    await lose(b, () => {
      a.link.deliverTo('b', { frame: '{}' }, ['z', 'y']);
      a.link.deliverTo('b', { frame: '{}' }, ['y', 'v']);
    });
    a.link.deliverTo('b', { frame: '{}' }, ['w']);
    await eventually(() => expect(b.missed).toEqual([['v', 'y', 'z']]));
    expect(b.delivered).toEqual([['x'], ['w']]);
    expect(a.missed).toEqual([]);
    await stop();
  });

  it('are found at the sender’s next beat when nothing else follows them', async () => {
    const { a, b, stop } = await pair(20);
    await lose(b, () => a.link.deliverTo('b', { frame: '{}' }, ['y']));
    await eventually(() => expect(b.missed).toEqual([['y']]));
    await sleep(100);
    expect(b.missed).toHaveLength(1);
    await stop();
  });

  it('after the link comes back: the others say what they sent, and a node that lost nothing tells nobody', async () => {
    const { a, b, stop } = await pair();
    a.link.deliverTo('b', { frame: '{}' }, ['x']);
    await sleep(5);
    await lose(b, () => {});
    expect(b.link.rejoin()).toBe(true);
    await sleep(20);
    expect(b.missed).toEqual([]);
    // Now a delivery is lost while b is cut off, and nothing follows it but b's return.
    await lose(b, () => a.link.deliverTo('b', { frame: '{}' }, ['y']));
    expect(b.link.rejoin()).toBe(true);
    await eventually(() => expect(b.missed).toEqual([['y']]));
    await stop();
  });

  it('make every device catch up when they were for too many users to list', async () => {
    const { a, b, stop } = await pair();
    const many = Array.from({ length: MAX_LOST_RECIPIENTS + 1 }, (_, i) => `u${i}`);
    await lose(b, () => a.link.deliverTo('b', { frame: '{}' }, many));
    a.link.deliverTo('b', { frame: '{}' }, ['w']);
    await eventually(() => expect(b.missed).toEqual(['all']));
    await stop();
  });

  it('make every device catch up when the sender goes silent before saying what it sent', async () => {
    const { a, b, stop } = await pair(20);
    a.tap.cut = true; // a is gone: it neither answers nor beats
    expect(b.link.rejoin()).toBe(true);
    await eventually(() => expect(b.missed).toEqual(['all']));
    await stop();
  });

  it('tell nobody to catch up when a node that said what it sent leaves', async () => {
    const { a, b, stop } = await pair();
    expect(b.link.rejoin()).toBe(true);
    await sleep(5);
    await a.link.stop();
    await sleep(5);
    expect(b.missed).toEqual([]);
    await stop();
  });

  it('make every device catch up when a frame for everyone is lost', async () => {
    const { a, b, stop } = await pair();
    await lose(b, () => a.link.deliverToEveryone({ frame: '{}' }));
    a.link.deliverToEveryone({ frame: '{}' });
    await eventually(() => expect(b.missed).toEqual(['all']));
    await stop();
  });

  it('cannot be found with a node of an older version (beats without counts): rejoin says so', async () => {
    const { broker, a, b, stop } = await pair();
    broker.publish(Subjects.heartbeat, { nodeId: 'old', users: 0 });
    await sleep(5);
    expect(b.link.rejoin()).toBe(false);
    // Nor is such a node sent counts it would drop as malformed: its request does not ask for them.
    broker.publish(Subjects.snapshotRequest, { nodeId: 'old', shared: true });
    await sleep(5);
    expect(a.tap.count(Subjects.node('old'), 'sent')).toBe(0);
    expect(a.tap.count(Subjects.node('b'), 'sent')).toBe(2);
    await stop();
  });
});
