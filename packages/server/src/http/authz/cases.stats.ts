import { OPERATORS, type OpCase } from './authz.types.ts';

/** Usage figures are not evidence: operators and administrators see them, auditors do not. */
const RULE = 'operators and administrators (not auditors: usage figures are not evidence)';
const DAY_MS = 86_400_000;

/** Usage statistics (operations/stats.ts). */
export const opCases: OpCase[] = [
  { op: 'stats.overview', allow: OPERATORS, rule: RULE },
  {
    op: 'stats.series',
    allow: OPERATORS,
    rule: RULE,
    prepare: () => {
      const now = Date.now();
      return { metrics: 'newUsers,activeUsers', from: now - 7 * DAY_MS, to: now, granularity: 'day' };
    },
  },
  { op: 'stats.online', allow: OPERATORS, rule: RULE },
  {
    op: 'stats.userActivity',
    allow: OPERATORS,
    rule: RULE,
    prepare: (w) => ({ userId: w.users.member.userId }),
  },
];
