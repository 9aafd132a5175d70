import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram, bucketOf, bucketValue, mergeSummary } from './histogram.ts';

describe('the latency histogram', () => {
  it('keeps every microsecond below 128 µs and 1% relative error above', () => {
    for (let us = 0; us < 128; us++) expect(bucketValue(bucketOf(us))).toBe(us);
    fc.assert(
      fc.property(fc.integer({ min: 128, max: 2 ** 40 }), (us) => {
        const v = bucketValue(bucketOf(us));
        expect(Math.abs(v - us) / us).toBeLessThanOrEqual(0.01);
      }),
    );
  });

  it('numbers buckets in the order of their values', () => {
    let prev = -1;
    for (let us = 0; us < 200_000; us += 7) {
      const b = bucketOf(us);
      expect(b).toBeGreaterThanOrEqual(prev);
      prev = b;
    }
  });

  it('gives percentiles within 1% of the exact ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (ms) => {
          const h = new Histogram();
          for (const v of ms) h.record(v);
          const sorted = [...ms].sort((a, b) => a - b);
          for (const q of [0.5, 0.99, 0.999]) {
            const exact = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
            expect(Math.abs(h.quantile(q) - exact)).toBeLessThanOrEqual(exact * 0.01 + 0.001);
          }
          expect(h.summary().max).toBeCloseTo(sorted.at(-1)!, 3);
        },
      ),
    );
  });

  it('merges parts shipped as data into the same summary as one histogram', () => {
    const whole = new Histogram();
    const parts = [new Histogram(), new Histogram(), new Histogram()];
    for (let i = 0; i < 3000; i++) {
      const v = ((i * 7919) % 1000) / 10;
      whole.record(v);
      parts[i % 3]!.record(v);
    }
    const shipped = parts.map(
      (p) => JSON.parse(JSON.stringify(p.toData())) as ReturnType<Histogram['toData']>,
    );
    expect(mergeSummary(shipped)).toEqual(whole.summary());
    expect(Histogram.fromData(whole.toData()).summary()).toEqual(whole.summary());
  });

  it('summarizes nothing as zeros and clamps negative latencies (clock skew) to 0', () => {
    expect(new Histogram().summary()).toEqual({ count: 0, p50: 0, p99: 0, p999: 0, max: 0, mean: 0 });
    const h = new Histogram();
    h.record(-0.5);
    expect(h.summary()).toMatchObject({ count: 1, p50: 0, max: 0 });
    expect(mergeSummary([h.toData(), new Histogram().toData()]).count).toBe(1);
  });

  it('resolves a microsecond below one millisecond', () => {
    const h = new Histogram();
    h.record(0.123);
    h.record(0.124);
    expect(h.quantile(0.5)).toBe(0.123);
    expect(h.quantile(1)).toBe(0.124);
  });
});
