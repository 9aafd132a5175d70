import { sql } from 'kysely';
import type { App } from '../../app.ts';

/**
 * Tables a refused request must leave as they were. Left out on purpose: what a failure itself
 * records (audit_log, login_failures, sms_codes, sms_sends) and caches and statistics.
 */
const GUARDED_TABLES = [
  'users',
  'sessions',
  'conversations',
  'members',
  'messages',
  'reactions',
  'contacts',
  'friend_requests',
  'user_blocks',
  'group_join_requests',
  'moments_posts',
  'moments_comments',
  'moments_likes',
  'moments_reports',
  'files',
  'images',
  'meetings',
  'departments',
  'department_members',
  'user_preferences',
  'transfer_codes',
  'calls',
] as const;

/** Row counts of the guarded tables, in one query (for "a refused request changed nothing"). */
export async function guardedRowCounts(app: App): Promise<Record<string, number>> {
  const columns = sql.join(
    GUARDED_TABLES.map((t) => sql`(select count(*) from ${sql.table(t)}) as ${sql.ref(t)}`),
  );
  const { rows } = await sql<Record<string, number | string>>`select ${columns}`.execute(app.platform.db);
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, Number(v)]));
}
