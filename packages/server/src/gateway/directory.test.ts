import { describe, expect, it } from 'vitest';
import { PresenceDirectory } from './directory.ts';
import { TokenBucket } from './rate-limit.ts';

describe('PresenceDirectory', () => {
  it('reports a change only when a user goes online or offline cluster-wide', () => {
    const d = new PresenceDirectory();
    expect(d.set('n1', 'u', true)).toEqual({ userId: 'u', online: true });
    expect(d.set('n2', 'u', true)).toBeUndefined();
    expect(d.set('n1', 'u', false)).toBeUndefined();
    expect([...d.nodesOf('u')!]).toEqual(['n2']);
    expect(d.set('n2', 'u', false)).toEqual({ userId: 'u', online: false });
    expect(d.isOnline('u')).toBe(false);
    expect(d.set('n2', 'u', false)).toBeUndefined();
  });

  it('replaces a node with a snapshot, reporting only the differences', () => {
    const d = new PresenceDirectory();
    d.set('n1', 'a', true);
    d.set('n1', 'b', true);
    d.set('n2', 'b', true);
    expect(d.replaceNode('n1', ['a', 'c'])).toEqual([{ userId: 'c', online: true }]);
    expect(d.countOn('n1')).toBe(2);
    expect(d.replaceNode('n1', [])).toEqual([
      { userId: 'a', online: false },
      { userId: 'c', online: false },
    ]);
    expect(d.isOnline('b')).toBe(true);
  });

  it('drops a node with its users and its liveness', () => {
    const d = new PresenceDirectory();
    d.touch('n1', 100);
    d.touch('n2', 500);
    d.set('n1', 'a', true);
    expect(d.silentSince(200, 'n2')).toEqual(['n1']);
    expect(d.silentSince(200, 'n1')).toEqual([]);
    expect(d.dropNode('n1')).toEqual([{ userId: 'a', online: false }]);
    expect(d.knowsNode('n1')).toBe(false);
    expect(d.nodes()).toEqual(['n2']);
  });

  it('keeps per-node counts right for users on several nodes, through snapshots, drops and returns', () => {
    const d = new PresenceDirectory();
    for (const u of ['a', 'b', 'c']) d.set('n1', u, true);
    d.set('n2', 'b', true);
    d.set('n2', 'b', true);
    d.set('n1', 'x', false);
    expect([d.countOn('n1'), d.countOn('n2')]).toEqual([3, 1]);
    // The snapshot of n2 no longer has b but has d: b stays online through n1.
    expect(d.replaceNode('n2', ['d'])).toEqual([{ userId: 'd', online: true }]);
    expect([...d.nodesOf('b')!]).toEqual(['n1']);
    expect([d.countOn('n1'), d.countOn('n2')]).toEqual([3, 1]);
    d.set('n2', 'a', true);
    expect(d.dropNode('n1')).toEqual([
      { userId: 'b', online: false },
      { userId: 'c', online: false },
    ]);
    expect([...d.nodesOf('a')!]).toEqual(['n2']);
    expect([d.countOn('n1'), d.countOn('n2'), d.onlineUsers]).toEqual([0, 2, 2]);
    // The node comes back (a restart): its users are its own again.
    expect(d.set('n1', 'a', true)).toBeUndefined();
    expect(d.set('n1', 'c', true)).toEqual({ userId: 'c', online: true });
    expect([...d.nodesOf('a')!].sort()).toEqual(['n1', 'n2']);
    expect([...d.nodesOf('c')!]).toEqual(['n1']);
    expect([d.countOn('n1'), d.countOn('n2')]).toEqual([2, 2]);
  });
});

describe('PresenceDirectory nodes', () => {
  it('keeps each live node with its users and its last beat, and names the smallest id leader', () => {
    const d = new PresenceDirectory();
    expect(d.leader()).toBeUndefined();
    d.touch('n2', 1);
    d.set('n2', 'a', true);
    d.beat('n3', 40, 2);
    d.set('n3', 'b', true);
    d.set('n3', 'c', true);
    expect(d.leader()).toBe('n2');
    d.beat('n1', 7, 3);
    expect(d.leader()).toBe('n1');
    expect(d.summaries()).toEqual([
      { nodeId: 'n1', users: 0, connections: 7, seenAt: 3 },
      { nodeId: 'n2', users: 1, connections: 0, seenAt: 1 },
      { nodeId: 'n3', users: 2, connections: 40, seenAt: 2 },
    ]);
    // A user on two nodes: both, written into the caller's array (routing allocates nothing).
    d.set('n2', 'b', true);
    const out: string[] = [];
    expect(out.slice(0, d.nodeIdsOf('b', out)).sort()).toEqual(['n2', 'n3']);
    expect([...(d.nodesOf('b') ?? [])].sort()).toEqual(['n2', 'n3']);
    expect(d.nodeIdsOf('nobody', out)).toBe(0);
    d.set('n2', 'b', false);
    // The leader goes: the next smallest id leads, and the node's counts are gone with it.
    d.dropNode('n1');
    expect(d.leader()).toBe('n2');
    expect(d.summaries().map((n) => n.nodeId)).toEqual(['n2', 'n3']);
    d.beat('n1', 0, 9);
    expect(d.summaries()[0]).toEqual({ nodeId: 'n1', users: 0, connections: 0, seenAt: 9 });
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then the rate, refilling over time', () => {
    let now = 0;
    const b = new TokenBucket(10, 10, () => now);
    for (let i = 0; i < 10; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    expect(b.retryAfterMs()).toBe(100);
    now += 100;
    expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
    now += 10_000;
    for (let i = 0; i < 10; i++) expect(b.take()).toBe(true);
    expect(b.take()).toBe(false);
  });
});
