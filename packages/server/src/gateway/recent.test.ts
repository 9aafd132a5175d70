import { describe, expect, it } from 'vitest';
import { RecentRecipients } from './recent.ts';

describe('RecentRecipients', () => {
  it('finds the users of the lists noted within the span', () => {
    const recent = new RecentRecipients(1000, 100, 0);
    recent.note(['a', 'b'], 10);
    expect(recent.find(['a', 'c'], 20)).toEqual(['a']);
    recent.note(['c'], 30);
    // Found again: every new connection of a user may have missed the event.
    expect(recent.find(['b', 'a', 'c', 'd'], 40)).toEqual(['b', 'a', 'c']);
  });

  it('keeps one list once however often it is noted, and reads it when asked', () => {
    const recent = new RecentRecipients(1000, 100, 0);
    const group = ['a', 'b'];
    for (let t = 0; t < 100; t++) recent.note(group, t);
    expect(recent.lists).toBe(1);
    // Read when asked, not when noted: a list is the caller's (readonly) until then.
    expect(recent.find(['b'], 100)).toEqual(['b']);
  });

  it('keeps a list at least one span and at most two', () => {
    const recent = new RecentRecipients(1000, 100, 0);
    recent.note(['early'], 0);
    recent.note(['late'], 999);
    // A new generation begins at 1500: both are in the previous one until the next.
    recent.note(['next'], 1500);
    expect(recent.find(['early', 'late'], 1998)).toEqual(['early', 'late']);
    recent.note(['again'], 2400);
    // Less than two spans after 1500, the generation of 1500 becomes the previous one.
    expect(recent.find(['early', 'next', 'again'], 2500)).toEqual(['next', 'again']);
  });

  it('forgets everything noted two spans ago or earlier, routed since or not', () => {
    const recent = new RecentRecipients(1000, 100, 0);
    recent.note(['old'], 0);
    expect(recent.find(['old'], 2000)).toEqual([]);
    recent.note(['older'], 2000);
    recent.note(['new'], 5000);
    expect(recent.find(['older', 'new'], 5001)).toEqual(['new']);
    expect(recent.lists).toBe(1);
  });

  it('bounds a generation: a full one is retired early', () => {
    const recent = new RecentRecipients(1000, 3, 0);
    for (const u of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) recent.note([u], 1);
    expect(recent.lists).toBeLessThanOrEqual(6);
    expect(recent.find(['a', 'd', 'g'], 2)).toEqual(['d', 'g']);
  });
});
