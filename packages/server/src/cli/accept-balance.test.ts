import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../platform/logger.ts';
import {
  AcceptBalancer,
  AcceptGate,
  fairCeiling,
  FAIR_SLACK,
  type AcceptCeiling,
  type AcceptReport,
} from './accept-balance.ts';

describe('fairCeiling', () => {
  it('is the mean, 10 % and the slack above; no counts: no ceiling', () => {
    expect(fairCeiling([])).toBe(Infinity);
    expect(fairCeiling([0, 0])).toBe(FAIR_SLACK);
    expect(fairCeiling([1000, 3000])).toBe(2200 + FAIR_SLACK);
    expect(fairCeiling([10, 20, 30], 0)).toBe(22);
  });

  it('always leaves the emptiest worker room, however uneven', () => {
    for (const counts of [
      [0, 20_000],
      [19_000, 19_500, 18_000],
      [5, 5, 5],
    ])
      expect(Math.min(...counts)).toBeLessThan(fairCeiling(counts));
  });
});

describe('AcceptBalancer (the primary)', () => {
  it('tells the workers the ceiling when it moves by 2 % or 16, and forgets an exited worker', () => {
    const sent: AcceptCeiling[] = [];
    const b = new AcceptBalancer((m) => sent.push(m));
    b.report('1', 1000);
    b.report('2', 1000);
    expect(sent.map((m) => m.ceiling)).toEqual([1100 + FAIR_SLACK]);
    b.report('2', 1010); // the ceiling moves by 6: not worth a message
    expect(sent).toHaveLength(1);
    b.report('2', 1200);
    expect(sent.at(-1)!.ceiling).toBe(1210 + FAIR_SLACK);
    b.remove('2');
    expect(sent.at(-1)!.ceiling).toBe(1100 + FAIR_SLACK);
    b.remove('unknown');
    expect(sent).toHaveLength(3);
  });
});

describe('AcceptGate (a worker)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function gate(hardLimit: number) {
    const calls: string[] = [];
    const reports: AcceptReport[] = [];
    let open = 0;
    const warn = vi.fn();
    const log = Object.assign(createLogger('silent'), { warn });
    const g = new AcceptGate(
      {
        readStart: () => (calls.push('start'), 0),
        readStop: () => (calls.push('stop'), 0),
      },
      { hardLimit, log, count: (done) => done(open), report: (m) => reports.push(m) },
    );
    return { g, calls, reports, warn, set: (n: number) => (open = n) };
  }

  it('stops polling at the ceiling, reports at once, and polls again when below it', () => {
    const t = gate(1000);
    t.g.setCeiling(10);
    t.set(9);
    t.g.accepted();
    expect(t.g.accepting).toBe(true);
    t.set(10);
    t.g.accepted();
    expect(t.g.accepting).toBe(false);
    expect(t.calls).toEqual(['stop']);
    expect(t.reports).toEqual([{ zx: 'accept', open: 10 }]);
    // A higher ceiling from the primary lets it take more.
    t.g.setCeiling(20);
    expect(t.calls).toEqual(['stop', 'start']);
    expect(t.g.accepting).toBe(true);
    t.g.stop();
  });

  it('rechecks while paused, so closes let it accept again without any new ceiling', () => {
    const t = gate(5);
    t.set(5);
    t.g.accepted();
    expect(t.g.accepting).toBe(false);
    expect(t.warn).toHaveBeenCalledTimes(1);
    t.set(4);
    vi.advanceTimersByTime(250);
    expect(t.g.accepting).toBe(true);
    expect(t.reports.map((r) => r.open)).toEqual([5, 4]);
    // Full again: a new episode warns again.
    t.set(5);
    t.g.accepted();
    expect(t.warn).toHaveBeenCalledTimes(2);
    t.g.stop();
  });

  it('reports a moving count every 250 ms and goes quiet when it stops moving', () => {
    const t = gate(1000);
    t.set(1);
    t.g.accepted();
    t.set(3);
    t.g.accepted();
    vi.advanceTimersByTime(250);
    expect(t.reports.map((r) => r.open)).toEqual([3]);
    vi.advanceTimersByTime(250);
    // Unchanged: no report, and no timer left.
    expect(t.reports).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does nothing once stopped (the server closed), even for a count already on its way', () => {
    const t = gate(5);
    t.set(5);
    t.g.accepted();
    expect(t.g.accepting).toBe(false);
    t.g.stop();
    t.set(0);
    t.g.setCeiling(100);
    vi.advanceTimersByTime(1000);
    expect(t.g.accepting).toBe(false);
    expect(t.calls).toEqual(['stop']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
