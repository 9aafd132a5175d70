import type { StatsGranularity } from '@zhixin/sdk';
import dayjs, { type Dayjs } from 'dayjs';

export type RangePreset = 'today' | '7d' | '30d' | '90d' | 'custom';

export interface StatsRange {
  preset: RangePreset;
  from: number;
  to: number;
  granularity: StatsGranularity;
}

/** The range of a preset, ending with today (the browser's days; the server buckets in its zone). */
export function presetRange(preset: Exclude<RangePreset, 'custom'>, now = dayjs()): StatsRange {
  const to = now.endOf('day').valueOf() + 1;
  if (preset === 'today') return { preset, from: now.startOf('day').valueOf(), to, granularity: 'hour' };
  const days = preset === '7d' ? 7 : preset === '30d' ? 30 : 90;
  return {
    preset,
    from: now
      .startOf('day')
      .subtract(days - 1, 'day')
      .valueOf(),
    to,
    granularity: 'day',
  };
}

/** A custom range of whole days, with the finest granularity that stays readable. */
export function customRange(start: Dayjs, end: Dayjs): StatsRange {
  const from = start.startOf('day').valueOf();
  const to = end.endOf('day').valueOf() + 1;
  const days = (to - from) / 86_400_000;
  const granularity: StatsGranularity =
    days <= 2 ? 'hour' : days <= 120 ? 'day' : days <= 400 ? 'week' : 'month';
  return { preset: 'custom', from, to, granularity };
}

/** Which granularities make sense for a range (the server refuses more than 5,000 points). */
export function granularitiesFor(range: Pick<StatsRange, 'from' | 'to'>): StatsGranularity[] {
  const days = (range.to - range.from) / 86_400_000;
  const out: StatsGranularity[] = [];
  if (days <= 31) out.push('hour');
  out.push('day');
  if (days >= 7) out.push('week');
  if (days >= 28) out.push('month');
  return out;
}

/** The axis label of a bucket. */
export function bucketLabel(start: number, granularity: StatsGranularity): string {
  const d = dayjs(start);
  if (granularity === 'hour') return d.format('MM-DD HH:00');
  if (granularity === 'month') return d.format('YYYY-MM');
  return d.format('MM-DD');
}
