import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';

/** Usage statistics (R-A1, R-A4): rollups, online now, dashboards. */

/**
 * What can be counted over time. Sums per bucket: `newUsers`, `logins`, `newGroups`,
 * `directMessages` (1:1), `groupMessages`, `meetings`, `meetingParticipants`, `meetingSeconds`.
 * Distinct per bucket: `activeUsers` (signed in, refreshed a session, connected or sent),
 * `senders` (sent at least one message), `activeGroups` (a group with at least one message).
 * Highest per bucket: `peakOnlineUsers`, `peakOnlineConnections` (sampled by every node).
 */
export const STATS_METRICS = [
  'newUsers',
  'activeUsers',
  'logins',
  'newGroups',
  'activeGroups',
  'directMessages',
  'groupMessages',
  'senders',
  'meetings',
  'meetingParticipants',
  'meetingSeconds',
  'peakOnlineUsers',
  'peakOnlineConnections',
] as const;
export type StatsMetric = (typeof STATS_METRICS)[number];
export const StatsMetric = Type.Union([
  Type.Literal('newUsers'),
  Type.Literal('activeUsers'),
  Type.Literal('logins'),
  Type.Literal('newGroups'),
  Type.Literal('activeGroups'),
  Type.Literal('directMessages'),
  Type.Literal('groupMessages'),
  Type.Literal('senders'),
  Type.Literal('meetings'),
  Type.Literal('meetingParticipants'),
  Type.Literal('meetingSeconds'),
  Type.Literal('peakOnlineUsers'),
  Type.Literal('peakOnlineConnections'),
]);

export const STATS_GRANULARITIES = ['hour', 'day', 'week', 'month'] as const;
/** Days, weeks (from Monday) and months follow the server's `stats.timeZone`. */
export const StatsGranularity = Type.Union([
  Type.Literal('hour'),
  Type.Literal('day'),
  Type.Literal('week'),
  Type.Literal('month'),
]);
export type StatsGranularity = (typeof STATS_GRANULARITIES)[number];

/** Most points one series request may return (per metric). */
export const MAX_STATS_POINTS = 5000;
/** Longest range of one series request: two years (731 days). */
export const MAX_STATS_RANGE_MS = 731 * 24 * 3600 * 1000;

const METRIC_LIST = `^(${STATS_METRICS.join('|')})(,(${STATS_METRICS.join('|')}))*$`;

export const StatsSeriesQuery = Type.Object(
  {
    /** Comma-separated metric names, e.g. `directMessages,groupMessages`. */
    metrics: Type.String({ pattern: METRIC_LIST, maxLength: 400 }),
    /** Start of the range (inclusive, ms). The first bucket is the one containing it. */
    from: Timestamp,
    /** End of the range (exclusive, ms); must be after `from`. */
    to: Timestamp,
    granularity: StatsGranularity,
  },
  { additionalProperties: false },
);
export type StatsSeriesQuery = Static<typeof StatsSeriesQuery>;

export const StatsSeriesLine = Type.Object({
  metric: StatsMetric,
  /** One value per bucket, in the order of `buckets`. */
  values: Type.Array(Type.Integer({ minimum: 0 })),
});
export type StatsSeriesLine = Static<typeof StatsSeriesLine>;

export const StatsSeries = Type.Object({
  granularity: StatsGranularity,
  timeZone: Type.String(),
  /** Start (ms) of every bucket; a bucket may begin before `from` or end after `to`. */
  buckets: Type.Array(Timestamp),
  lines: Type.Array(StatsSeriesLine),
});
export type StatsSeries = Static<typeof StatsSeries>;

export const StatsNodeOnline = Type.Object({
  nodeId: Type.String(),
  /** Users with an authenticated connection on this node. */
  users: Type.Integer({ minimum: 0 }),
  /** Open WebSocket connections on this node. */
  connections: Type.Integer({ minimum: 0 }),
  /** When the node last reported (ms). */
  at: Timestamp,
});
export type StatsNodeOnline = Static<typeof StatsNodeOnline>;

/** Who is online now, across the cluster. */
export const StatsOnline = Type.Object({
  at: Timestamp,
  /** Distinct users online anywhere (one user on two nodes counts once). */
  users: Type.Integer({ minimum: 0 }),
  /** Connections on every live node, summed. */
  connections: Type.Integer({ minimum: 0 }),
  /** The live nodes' own reports; a node silent for longer than the TTL is left out. */
  nodes: Type.Array(StatsNodeOnline),
});
export type StatsOnline = Static<typeof StatsOnline>;

/** The figures of one period (today, yesterday, the last 7 days). */
export const StatsFigures = Type.Object({
  from: Timestamp,
  to: Timestamp,
  newUsers: Type.Integer({ minimum: 0 }),
  activeUsers: Type.Integer({ minimum: 0 }),
  logins: Type.Integer({ minimum: 0 }),
  newGroups: Type.Integer({ minimum: 0 }),
  activeGroups: Type.Integer({ minimum: 0 }),
  directMessages: Type.Integer({ minimum: 0 }),
  groupMessages: Type.Integer({ minimum: 0 }),
  senders: Type.Integer({ minimum: 0 }),
  meetings: Type.Integer({ minimum: 0 }),
  meetingParticipants: Type.Integer({ minimum: 0 }),
  meetingSeconds: Type.Integer({ minimum: 0 }),
  peakOnlineUsers: Type.Integer({ minimum: 0 }),
});
export type StatsFigures = Static<typeof StatsFigures>;

export const StatsOverview = Type.Object({
  at: Timestamp,
  timeZone: Type.String(),
  online: StatsOnline,
  today: StatsFigures,
  yesterday: StatsFigures,
  /** Today and the 6 days before it. */
  last7Days: StatsFigures,
  /** Distinct active users today, over the last 7 days and over the last 30 days (today included). */
  dau: Type.Integer({ minimum: 0 }),
  wau: Type.Integer({ minimum: 0 }),
  mau: Type.Integer({ minimum: 0 }),
});
export type StatsOverview = Static<typeof StatsOverview>;

export const StatsUserActivityQuery = Type.Object(
  {
    userId: Id,
    /** Range of days (ms); default: everything recorded. */
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type StatsUserActivityQuery = Static<typeof StatsUserActivityQuery>;

/** One user's recorded activity over a range: what exports and profiling read. */
export const StatsUserActivity = Type.Object({
  userId: Id,
  /** Days (in the server's time zone) with any activity. */
  activeDays: Type.Integer({ minimum: 0 }),
  messagesSent: Type.Integer({ minimum: 0 }),
  logins: Type.Integer({ minimum: 0 }),
  /** Last activity (ms), or null when none was recorded. */
  lastActiveAt: Type.Union([Timestamp, Type.Null()]),
});
export type StatsUserActivity = Static<typeof StatsUserActivity>;
