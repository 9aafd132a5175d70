import type {
  OpResponse,
  StatsGranularity,
  StatsMetric,
  StatsOnline,
  StatsOverview,
  StatsSeries,
  StatsUserActivity,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type { StatsGranularity, StatsMetric, StatsOnline, StatsOverview, StatsSeries, StatsUserActivity };
export type StatsFigures = OpResponse<'stats.overview'>['today'];

/** What a series request takes: metrics as a list (sent comma-separated). */
export interface StatsSeriesRequest {
  metrics: readonly StatsMetric[];
  /** Start of the range (ms, inclusive). */
  from: number;
  /** End of the range (ms, exclusive). */
  to: number;
  granularity: StatsGranularity;
}

/** Usage statistics for the console (operators and administrators). */
export class StatsManager {
  constructor(private readonly call: Call) {}

  /**
   * Today's, yesterday's and the last 7 days' figures, DAU/WAU/MAU and who is online now.
   * @example
   * const { dau, online } = await client.stats.overview();
   */
  overview(): Promise<StatsOverview> {
    return this.call('stats.overview', {});
  }

  /**
   * Time series of metrics over a range; days, weeks (from Monday) and months follow the server's
   * time zone. VALIDATION_FAILED for an empty range, over two years, or over 5,000 points.
   * @example
   * const day = 86_400_000;
   * const s = await client.stats.series({
   *   metrics: ['directMessages', 'groupMessages'],
   *   from: Date.now() - 30 * day,
   *   to: Date.now(),
   *   granularity: 'day',
   * });
   * s.buckets.forEach((start, i) => console.log(new Date(start), s.lines[0]?.values[i]));
   */
  series(request: StatsSeriesRequest): Promise<StatsSeries> {
    return this.call('stats.series', { ...request, metrics: request.metrics.join(',') });
  }

  /**
   * Users and connections online now across the cluster, with each live node's counts.
   * @example
   * const { users, connections } = await client.stats.online();
   */
  online(): Promise<StatsOnline> {
    return this.call('stats.online', {});
  }

  /**
   * One user's active days, messages sent, logins and last activity (default: all recorded).
   * @example
   * const a = await client.stats.userActivity(userId, { from: Date.now() - 90 * 86_400_000 });
   */
  userActivity(userId: string, range: { from?: number; to?: number } = {}): Promise<StatsUserActivity> {
    return this.call('stats.userActivity', { userId, ...range });
  }
}
