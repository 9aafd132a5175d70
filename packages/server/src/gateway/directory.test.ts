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
