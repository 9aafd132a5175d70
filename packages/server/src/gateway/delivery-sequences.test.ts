import { describe, expect, it } from 'vitest';
import {
  KEEP_RECIPIENTS_MS,
  KEEP_RECIPIENTS_PER_TARGET,
  MAX_LOST_RECIPIENTS,
  ReceivedSequences,
  SentDeliveries,
} from './delivery-sequences.ts';

describe('SentDeliveries', () => {
  it('numbers deliveries per target and answers whom a range was for, each user once', () => {
    const sent = new SentDeliveries();
    expect(sent.delivery('b', ['x'], 0)).toBe(1);
    expect(sent.delivery('c', ['q'], 0)).toBe(1);
    expect(sent.delivery('b', ['y', 'z'], 0)).toBe(2);
    expect(sent.delivery('b', ['z'], 0)).toBe(3);
    expect(sent.lostBy('b', 2, 3, 0)?.sort()).toEqual(['y', 'z']);
    expect(sent.sentToEach(['b', 'c', 'd'])).toEqual({ b: 3, c: 1 });
    // Not sent yet, or never to that node: not known.
    expect(sent.lostBy('b', 3, 4, 0)).toBeUndefined();
    expect(sent.lostBy('d', 1, 1, 0)).toBeUndefined();
  });

  it('forgets recipients after a while, and beyond a bound, but never the newest delivery', () => {
    const sent = new SentDeliveries();
    sent.delivery('b', ['x'], 0);
    sent.delivery('b', ['y'], 1000);
    expect(sent.lostBy('b', 1, 2, KEEP_RECIPIENTS_MS + 500)).toBeUndefined();
    expect(sent.lostBy('b', 2, 2, KEEP_RECIPIENTS_MS + 500)).toEqual(['y']);
    const big = Array.from({ length: KEEP_RECIPIENTS_PER_TARGET }, (_, i) => `u${i}`);
    sent.delivery('c', ['first'], 0);
    sent.delivery('c', big, 0);
    expect(sent.lostBy('c', 1, 1, 0)).toBeUndefined();
    sent.delivery('c', big, 0);
    expect(sent.lostBy('c', 2, 2, 0)).toBeUndefined();
    expect(sent.lostBy('c', 3, 3, 0)).toBeUndefined(); // kept, but more than can be listed
    sent.delivery('c', ['last'], 0);
    expect(sent.lostBy('c', 4, 4, 0)).toEqual(['last']);
    expect(MAX_LOST_RECIPIENTS).toBeLessThan(KEEP_RECIPIENTS_PER_TARGET);
  });

  it('keeps counting past thousands of deliveries (the ring is compacted, numbers stay right)', () => {
    const sent = new SentDeliveries();
    for (let i = 1; i <= 5000; i++) sent.delivery('b', [`u${i}`], i * 100);
    const now = 5000 * 100;
    // The last KEEP_RECIPIENTS_MS of deliveries are kept.
    const kept = KEEP_RECIPIENTS_MS / 100;
    expect(sent.lostBy('b', 5000 - kept + 1, 5000, now)).toHaveLength(kept);
    expect(sent.lostBy('b', 5000 - kept - 1, 5000, now)).toBeUndefined();
    expect(sent.lostBy('b', 4321, 4321, now)).toEqual(['u4321']);
  });

  it('goes on from where it was for a node that was dropped, without its recipients', () => {
    const sent = new SentDeliveries();
    sent.delivery('b', ['x'], 0);
    sent.forget('b');
    expect(sent.sentTo('b')).toBe(1);
    expect(sent.lostBy('b', 1, 1, 0)).toBeUndefined();
    expect(sent.delivery('b', ['y'], 0)).toBe(2);
    expect(sent.lostBy('b', 2, 2, 0)).toEqual(['y']);
  });
});

describe('ReceivedSequences', () => {
  it('finds gaps between deliveries and against a count, from the first number heard', () => {
    const got = new ReceivedSequences();
    // Joined in the middle: what came before was not for this node to get.
    expect(got.delivery('a', 7)).toBeUndefined();
    expect(got.delivery('a', 8)).toBeUndefined();
    expect(got.delivery('a', 11)).toEqual({ sender: 'a', from: 9, to: 10 });
    expect(got.counts('a', 11, 0)).toEqual({ everyoneLost: false });
    expect(got.counts('a', 13, 0)).toEqual({ gap: { sender: 'a', from: 12, to: 13 }, everyoneLost: false });
    expect(got.delivery('a', 14)).toBeUndefined();
  });

  it('takes a lower number for a sender that restarted under the same id', () => {
    const got = new ReceivedSequences();
    got.delivery('a', 50);
    expect(got.delivery('a', 1)).toBeUndefined();
    expect(got.delivery('a', 3)).toEqual({ sender: 'a', from: 2, to: 2 });
  });

  it('finds a lost frame for everyone, and starts again for a node that left', () => {
    const got = new ReceivedSequences();
    expect(got.counts('a', 0, 0)).toEqual({ everyoneLost: false });
    expect(got.everyone('a', 1)).toBe(false);
    expect(got.everyone('a', 3)).toBe(true);
    expect(got.counts('a', 0, 4).everyoneLost).toBe(true);
    got.forget('a');
    expect(got.everyone('a', 9)).toBe(false);
  });
});
