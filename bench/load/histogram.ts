/**
 * A mergeable log-linear latency histogram (the HdrHistogram idea, small): values are recorded in
 * whole microseconds; below 128 µs every microsecond has its own bucket, above it each power of two
 * is split into 64 buckets, so a bucket's midpoint is within 0.8% of any value in it. Agents ship
 * the sparse counts to the parent, which merges them before taking percentiles.
 */
import type { HistogramData, LatencySummary } from './types.ts';

/** Buckets per power of two above the exact range (the relative error is 1 / (2 * SUB)). */
const SUB = 64;
const SUB_BITS = 6;
/** Values below this many µs are counted exactly. */
const EXACT = 2 * SUB;
/** Enough buckets for 2^53 µs. */
const BUCKETS = SUB * (53 - SUB_BITS) + 2 * SUB;

/** The bucket of a value in µs. */
export function bucketOf(us: number): number {
  const v = Math.max(0, Math.round(us));
  if (v < EXACT) return v;
  const bits = v < 0x8000_0000 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
  const e = bits - SUB_BITS;
  const mantissa = Math.floor(v / 2 ** e);
  return SUB * e + mantissa;
}

/** The midpoint of a bucket, µs. */
export function bucketValue(index: number): number {
  if (index < EXACT) return index;
  const e = Math.floor(index / SUB) - 1;
  const mantissa = index - SUB * e;
  const low = mantissa * 2 ** e;
  return low + (2 ** e - 1) / 2;
}

export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  /** ms */
  min = Infinity;
  max = -Infinity;
  sum = 0;

  /** Record one latency in milliseconds (negative values, from clock skew, count as 0). */
  record(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    this.counts[bucketOf(v * 1000)]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  merge(other: Histogram | HistogramData): this {
    const data = other instanceof Histogram ? other.toData() : other;
    for (const [k, n] of Object.entries(data.counts)) this.counts[Number(k)]! += n;
    if (data.count === 0) return this;
    this.count += data.count;
    this.sum += data.sum;
    this.min = Math.min(this.min, data.min);
    this.max = Math.max(this.max, data.max);
    return this;
  }

  /** The value (ms) at quantile q in [0, 1], clamped to the recorded min and max. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, Math.max(this.min, bucketValue(i) / 1000));
    }
    return this.max;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { count: 0, p50: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    return {
      count: this.count,
      p50: round3(this.quantile(0.5)),
      p99: round3(this.quantile(0.99)),
      p999: round3(this.quantile(0.999)),
      max: round3(this.max),
      mean: round3(this.sum / this.count),
    };
  }

  toData(): HistogramData {
    const counts: Record<number, number> = {};
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i] !== 0) counts[i] = this.counts[i]!;
    return {
      counts,
      count: this.count,
      min: this.count === 0 ? 0 : this.min,
      max: this.count === 0 ? 0 : this.max,
      sum: this.sum,
    };
  }

  static fromData(data: HistogramData): Histogram {
    return new Histogram().merge(data);
  }
}

/** Microsecond precision in reports. */
function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Merge histograms shipped by agents into one summary. */
export function mergeSummary(parts: HistogramData[]): LatencySummary {
  const h = new Histogram();
  for (const p of parts) h.merge(p);
  return h.summary();
}
