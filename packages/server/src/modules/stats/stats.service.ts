import {
  MAX_STATS_POINTS,
  MAX_STATS_RANGE_MS,
  STATS_METRICS,
  type StatsFigures,
  type StatsGranularity,
  type StatsMetric,
  type StatsOnline,
  type StatsOverview,
  type StatsSeries,
  type StatsSeriesQuery,
  type StatsUserActivity,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { DAY_MS, HOUR_MS, type StatsCalendar } from './stats.calendar.ts';
import { zeroCounts, type StatsRecorder } from './stats.recorder.ts';
import type { DistinctSet, HourCounts, StatsRepo } from './stats.repo.ts';

export interface TimeRange {
  from: number;
  to: number;
}

/** One user's activity over a range, as exports list it. */
export interface ActiveUser {
  userId: string;
  activeDays: number;
  messagesSent: number;
  lastActiveAt: number;
}

export interface MeetingRecord {
  startedAt: number;
  endedAt: number;
  participants: number;
}

/** Usage statistics: what the APIs, the dashboards and the exports read. */
export interface StatsService {
  overview(): Promise<StatsOverview>;
  series(query: StatsSeriesQuery): Promise<StatsSeries>;
  online(): StatsOnline;
  /**
   * Every user active in the range (days in `stats.timeZone` starting in it), in user id order,
   * read a page at a time so that 85,000 users never sit in memory at once.
   */
  activeUsers(range: TimeRange): AsyncIterable<ActiveUser>;
  /** One user's activity (default: everything recorded). */
  userActivity(userId: string, range?: Partial<TimeRange>): Promise<StatsUserActivity>;
  /** For the meetings module: count one meeting (in the hour it started) once it ended. */
  recordMeeting(meeting: MeetingRecord): void;
  /** Write the counts gathered so far (the module also does every `stats.flushIntervalMs`). */
  flush(): Promise<void>;
}

const SUMS = new Set<StatsMetric>([
  'newUsers',
  'logins',
  'newGroups',
  'directMessages',
  'groupMessages',
  'meetings',
  'meetingParticipants',
  'meetingSeconds',
]);
const DISTINCT = new Set<StatsMetric>(['activeUsers', 'senders', 'activeGroups']);
const SHORTEST: Record<StatsGranularity, number> = {
  hour: HOUR_MS,
  day: DAY_MS - HOUR_MS,
  week: 7 * DAY_MS - HOUR_MS,
  month: 28 * DAY_MS - HOUR_MS,
};
const PAGE = 1000;

function invalid(path: string, message: string): AppError {
  return AppError.validation([{ path, message }]);
}

export interface StatsServiceDeps {
  repo: StatsRepo;
  recorder: StatsRecorder;
  calendar: StatsCalendar;
  online: () => StatsOnline;
  now: () => number;
  /** How long after its end a period stops changing (late flushes of other nodes). */
  closeGraceMs: number;
}

export function createStatsService(d: StatsServiceDeps): StatsService {
  const { repo, calendar } = d;

  /** Buckets of a range; VALIDATION_FAILED for an empty, too long or too fine one. */
  function bucketsOf(q: { from: number; to: number; granularity: StatsGranularity }): number[] {
    if (q.to <= q.from) throw invalid('/to', 'must be after from');
    if (q.to - q.from > MAX_STATS_RANGE_MS) throw invalid('/to', 'the range may span at most two years');
    if ((q.to - q.from) / SHORTEST[q.granularity] + 2 > MAX_STATS_POINTS + 1)
      throw invalid('/granularity', `at most ${MAX_STATS_POINTS} points; choose a coarser granularity`);
    const buckets = calendar.buckets(q.from, q.to, q.granularity);
    if (buckets.length > MAX_STATS_POINTS)
      throw invalid('/granularity', `at most ${MAX_STATS_POINTS} points; choose a coarser granularity`);
    return buckets;
  }

  /**
   * Distinct members over the days starting in [fromDay, toDay). A range that reaches past today
   * (nothing is recorded for later days) is answered from each member's latest day, an index range,
   * instead of a distinct count over every user-day in it.
   */
  function distinct(set: DistinctSet, fromDay: number, toDay: number): Promise<number> {
    return toDay > calendar.dayStart(d.now())
      ? repo.distinctSince(set, fromDay)
      : repo.distinct(set, fromDay, toDay);
  }

  async function computeDistinct(
    set: DistinctSet,
    g: StatsGranularity,
    buckets: readonly number[],
  ): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    if (first === undefined || last === undefined) return out;
    if (g === 'hour') {
      const fromDay = calendar.dayStart(first);
      const byDay = await repo.perHourOfDay(set, fromDay, calendar.plusDays(calendar.dayStart(last), 1));
      for (const b of buckets) {
        const day = calendar.dayStart(b);
        out.set(b, byDay.get(day)?.[Math.floor((b - day) / HOUR_MS)] ?? 0);
      }
    } else if (g === 'day') {
      const byDay = await repo.perDay(set, first, calendar.next(last, 'day'));
      for (const b of buckets) out.set(b, byDay.get(b) ?? 0);
    } else {
      for (const b of buckets) out.set(b, await distinct(set, b, calendar.next(b, g)));
    }
    return out;
  }

  /** Distinct counts per bucket; those of closed periods are computed once and kept. */
  async function distinctSeries(set: DistinctSet, g: StatsGranularity, buckets: number[]): Promise<number[]> {
    const now = d.now();
    const closed = buckets.filter((b) => calendar.next(b, g) + d.closeGraceMs <= now);
    const cached = await repo.closedPeriods(set, g, closed);
    const computed = await computeDistinct(
      set,
      g,
      buckets.filter((b) => !cached.has(b)),
    );
    const toSave = closed
      .filter((b) => !cached.has(b))
      .map((b): [number, number] => [b, computed.get(b) ?? 0]);
    if (toSave.length > 0) await repo.saveClosedPeriods(set, g, toSave);
    return buckets.map((b) => cached.get(b) ?? computed.get(b) ?? 0);
  }

  /** Sums and peaks per bucket, folded from the hourly rows. */
  async function hourlySeries(
    metrics: StatsMetric[],
    g: StatsGranularity,
    buckets: number[],
  ): Promise<Map<StatsMetric, number[]>> {
    const out = new Map<StatsMetric, number[]>(metrics.map((m) => [m, buckets.map(() => 0)]));
    if (metrics.length === 0 || buckets.length === 0) return out;
    const end = calendar.next(buckets[buckets.length - 1]!, g);
    let i = 0;
    for (const row of await repo.hours(buckets[0]!, end)) {
      while (i + 1 < buckets.length && row.bucket >= buckets[i + 1]!) i++;
      for (const m of metrics) {
        const values = out.get(m)!;
        const v = row[m as keyof HourCounts];
        values[i] = SUMS.has(m) ? values[i]! + v : Math.max(values[i]!, v);
      }
    }
    return out;
  }

  function sumHours(
    rows: ReadonlyArray<HourCounts & { bucket: number }>,
    from: number,
    to: number,
  ): HourCounts {
    const total = zeroCounts();
    for (const row of rows) {
      if (row.bucket < from || row.bucket >= to) continue;
      for (const key of Object.keys(total) as Array<keyof HourCounts>)
        total[key] = key.startsWith('peak') ? Math.max(total[key], row[key]) : total[key] + row[key];
    }
    return total;
  }

  async function figures(
    rows: ReadonlyArray<HourCounts & { bucket: number }>,
    from: number,
    to: number,
  ): Promise<StatsFigures> {
    const c = sumHours(rows, from, to);
    return {
      from,
      to,
      newUsers: c.newUsers,
      activeUsers: await distinct('activeUsers', from, to),
      logins: c.logins,
      newGroups: c.newGroups,
      activeGroups: await distinct('activeGroups', from, to),
      directMessages: c.directMessages,
      groupMessages: c.groupMessages,
      senders: await distinct('senders', from, to),
      meetings: c.meetings,
      meetingParticipants: c.meetingParticipants,
      meetingSeconds: c.meetingSeconds,
      peakOnlineUsers: c.peakOnlineUsers,
    };
  }

  return {
    async overview() {
      const now = d.now();
      const today = calendar.dayStart(now);
      const tomorrow = calendar.plusDays(today, 1);
      const yesterday = calendar.plusDays(today, -1);
      const weekAgo = calendar.plusDays(today, -6);
      const rows = await repo.hours(weekAgo, tomorrow);
      const [t, y, w] = [
        await figures(rows, today, tomorrow),
        await figures(rows, yesterday, today),
        await figures(rows, weekAgo, tomorrow),
      ];
      const mau = await distinct('activeUsers', calendar.plusDays(today, -29), tomorrow);
      return {
        at: now,
        timeZone: calendar.timeZone,
        online: d.online(),
        today: t,
        yesterday: y,
        last7Days: w,
        dau: t.activeUsers,
        wau: w.activeUsers,
        mau,
      };
    },

    async series(query) {
      const buckets = bucketsOf(query);
      const wanted = [...new Set(query.metrics.split(','))].filter((m): m is StatsMetric =>
        (STATS_METRICS as readonly string[]).includes(m),
      );
      const g = query.granularity;
      const folded = await hourlySeries(
        wanted.filter((m) => !DISTINCT.has(m)),
        g,
        buckets,
      );
      const lines = [];
      for (const metric of wanted) {
        const values = DISTINCT.has(metric)
          ? await distinctSeries(metric as DistinctSet, g, buckets)
          : (folded.get(metric) ?? []);
        lines.push({ metric, values });
      }
      return { granularity: g, timeZone: calendar.timeZone, buckets, lines };
    },

    online: () => d.online(),

    async *activeUsers(range) {
      if (range.to <= range.from) throw invalid('/to', 'must be after from');
      const fromDay = calendar.dayStart(range.from);
      let after: string | null = null;
      for (;;) {
        const page = await repo.activeUsersPage(fromDay, range.to, after, PAGE);
        for (const r of page)
          yield {
            userId: r.userId,
            activeDays: r.activeDays,
            messagesSent: r.messagesSent,
            lastActiveAt: r.lastActiveAt,
          };
        if (page.length < PAGE) return;
        after = page[page.length - 1]!.userId;
      }
    },

    async userActivity(userId, range = {}) {
      const from = range.from ?? 0;
      const to = range.to ?? Number.MAX_SAFE_INTEGER;
      if (to <= from) throw invalid('/to', 'must be after from');
      const row = await repo.userActivity(userId, from === 0 ? 0 : calendar.dayStart(from), to);
      return row
        ? {
            userId,
            activeDays: row.activeDays,
            messagesSent: row.messagesSent,
            logins: row.logins,
            lastActiveAt: row.lastActiveAt,
          }
        : { userId, activeDays: 0, messagesSent: 0, logins: 0, lastActiveAt: null };
    },

    recordMeeting({ startedAt, endedAt, participants }) {
      if (!Number.isSafeInteger(startedAt) || startedAt < 0) throw invalid('/startedAt', 'a time in ms');
      if (!Number.isSafeInteger(endedAt) || endedAt < startedAt)
        throw invalid('/endedAt', 'a time in ms, not before startedAt');
      if (!Number.isSafeInteger(participants) || participants < 0)
        throw invalid('/participants', 'a count of at least 0');
      d.recorder.meeting(startedAt, participants, Math.round((endedAt - startedAt) / 1000));
    },

    flush: () => d.recorder.flush(),
  };
}
