import type { StatsGranularity } from '@zhixin/protocol';
import { ConfigError } from '../../config.ts';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

interface LocalDate {
  year: number;
  /** 0-11 */
  month: number;
  day: number;
}

/**
 * Day, week (from Monday) and month boundaries in one IANA time zone, as UTC instants (ms).
 * Boundaries are floored to the whole UTC hour, so every day, week and month is made of whole hourly
 * buckets (exact for every zone with whole-hour offsets, such as Asia/Shanghai).
 */
export class StatsCalendar {
  private readonly format: Intl.DateTimeFormat;
  // The day of the latest lookup: events arrive in time order, so this answers nearly every call.
  private dayFrom = 0;
  private dayTo = 0;

  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ConfigError('stats.timeZone', `unknown time zone "${timeZone}"`);
    }
  }

  /** The start of the day containing `t`. */
  dayStart(t: number): number {
    if (t >= this.dayFrom && t < this.dayTo) return this.dayFrom;
    const start = this.instantOf(this.localDate(t));
    this.dayFrom = start;
    this.dayTo = this.plusDays(start, 1);
    return start;
  }

  /** The start of the bucket of `granularity` containing `t`. */
  bucketStart(t: number, granularity: StatsGranularity): number {
    if (granularity === 'hour') return t - mod(t, HOUR_MS);
    const local = this.localDate(t);
    if (granularity === 'day') return this.instantOf(local);
    if (granularity === 'month') return this.instantOf({ ...local, day: 1 });
    const weekday = new Date(Date.UTC(local.year, local.month, local.day)).getUTCDay();
    return this.instantOf({ ...local, day: local.day - ((weekday + 6) % 7) });
  }

  /** The start of the bucket after the one starting at `start`. */
  next(start: number, granularity: StatsGranularity): number {
    if (granularity === 'hour') return start + HOUR_MS;
    if (granularity === 'day') return this.plusDays(start, 1);
    if (granularity === 'week') return this.plusDays(start, 7);
    const local = this.localDate(start);
    return this.instantOf({ year: local.year, month: local.month + 1, day: 1 });
  }

  /** The starts of every bucket overlapping [from, to). */
  buckets(from: number, to: number, granularity: StatsGranularity): number[] {
    const out: number[] = [];
    for (let b = this.bucketStart(from, granularity); b < to; b = this.next(b, granularity)) out.push(b);
    return out;
  }

  /** The start of the day `days` local days after the day starting at `dayStart` (negative: before). */
  plusDays(dayStart: number, days: number): number {
    const local = this.localDate(dayStart);
    return this.instantOf({ ...local, day: local.day + days });
  }

  private localDate(t: number): LocalDate {
    const f = this.fields(t);
    return { year: f.year, month: f.month - 1, day: f.day };
  }

  /** The UTC instant of local midnight of a date (month and day may overflow, as in Date.UTC). */
  private instantOf(d: LocalDate): number {
    const wall = Date.UTC(d.year, d.month, d.day);
    // Two passes: the offset at a first guess, then at the instant it gives (DST edges).
    let t = wall - this.offset(wall);
    t = wall - this.offset(t);
    return t - mod(t, HOUR_MS);
  }

  /** Local wall time minus UTC at instant `t`. */
  private offset(t: number): number {
    const f = this.fields(t);
    const wall = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
    return wall - (t - mod(t, 1000));
  }

  private fields(t: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
    const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.format.formatToParts(new Date(t))) {
      if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
    }
    return out;
  }
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
