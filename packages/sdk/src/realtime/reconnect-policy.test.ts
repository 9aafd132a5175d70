import { describe, expect, it } from 'vitest';
import { ZhixinError } from '../errors.ts';
import { ExponentialBackoffPolicy } from './reconnect-policy.ts';

describe('ExponentialBackoffPolicy', () => {
  it('draws each delay uniformly below min(cap, base * 2^attempt) (full jitter)', () => {
    const top = new ExponentialBackoffPolicy({ baseMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect([0, 1, 2, 3, 4, 5].map((attempt) => top.nextDelayMs({ attempt }))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    const bottom = new ExponentialBackoffPolicy({ baseMs: 100, maxMs: 1000, random: () => 0 });
    expect(bottom.nextDelayMs({ attempt: 7 })).toBe(0);
    const half = new ExponentialBackoffPolicy({ baseMs: 100, maxMs: 1000, random: () => 0.5 });
    expect(half.nextDelayMs({ attempt: 2 })).toBe(200);
  });

  it('stays within bounds with the real random source', () => {
    const policy = new ExponentialBackoffPolicy({ baseMs: 500, maxMs: 30_000 });
    for (let attempt = 0; attempt < 50; attempt++) {
      const d = policy.nextDelayMs({ attempt }) as number;
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(30_000, 500 * 2 ** attempt));
    }
  });

  it('does not overflow on very high attempt numbers', () => {
    const policy = new ExponentialBackoffPolicy({ baseMs: 500, maxMs: 30_000, random: () => 0.5 });
    expect(policy.nextDelayMs({ attempt: 5000 })).toBe(15_000);
  });

  it('gives up after maxAttempts', () => {
    const policy = new ExponentialBackoffPolicy({ maxAttempts: 2, random: () => 0 });
    expect(policy.nextDelayMs({ attempt: 1 })).toBe(0);
    expect(policy.nextDelayMs({ attempt: 2 })).toBeNull();
  });

  it('waits at least as long as the server asked', () => {
    const policy = new ExponentialBackoffPolicy({ baseMs: 100, random: () => 0 });
    const limited = new ZhixinError('RATE_LIMITED', 'slow', { details: { retryAfterMs: 2500 } });
    expect(policy.nextDelayMs({ attempt: 0, error: limited })).toBe(2500);
  });

  it('defaults to 500 ms base and a 30 s cap', () => {
    const policy = new ExponentialBackoffPolicy();
    expect(policy.baseMs).toBe(500);
    expect(policy.maxMs).toBe(30_000);
  });
});
