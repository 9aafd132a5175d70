import { Type } from 'typebox';
import * as S from '../stats.ts';
import { op } from './op.ts';

const Empty = Type.Object({}, { additionalProperties: false });

/**
 * Usage statistics (R-A1, R-A4): rollups, online now, dashboards. Operators and administrators:
 * usage figures are not evidence, so auditors (read-only evidence and audit) do not see them.
 */
export const StatsOperations = {
  'stats.overview': op({
    method: 'GET',
    path: '/stats/overview',
    request: Empty,
    response: S.StatsOverview,
    access: 'operator',
    ws: true,
    summary: 'Key figures of today, yesterday and the last 7 days, DAU/WAU/MAU, and who is online now',
    tag: 'stats',
  }),
  'stats.series': op({
    method: 'GET',
    path: '/stats/series',
    request: S.StatsSeriesQuery,
    response: S.StatsSeries,
    access: 'operator',
    ws: true,
    summary: 'Time series of usage metrics for a range, by hour, day, week (from Monday) or month',
    tag: 'stats',
  }),
  'stats.online': op({
    method: 'GET',
    path: '/stats/online',
    request: Empty,
    response: S.StatsOnline,
    access: 'operator',
    ws: true,
    summary: 'Users and connections online now across the cluster, per live node',
    tag: 'stats',
  }),
  'stats.userActivity': op({
    method: 'GET',
    path: '/stats/users/{userId}',
    request: S.StatsUserActivityQuery,
    response: S.StatsUserActivity,
    access: 'operator',
    ws: false,
    summary: "One user's active days, messages sent, logins and last activity over a range",
    tag: 'stats',
  }),
} as const;
