import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** The login_failures table: failed logins per key (a blind index of the phone). */
export class LockoutRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async lockedUntil(key: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('login_failures')
      .select('locked_until')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.locked_until ?? null;
  }

  /**
   * Count one failure atomically and return the count. Failures older than `forgetBefore` no longer
   * count: a typo a month ago should not bring a lock closer.
   */
  async addFailure(key: string, now: number, forgetBefore: number): Promise<number> {
    const row = await this.db
      .insertInto('login_failures')
      .values({ key, failures: 1, locked_until: null, updated_at: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when login_failures.updated_at <= ${forgetBefore} then 1 else login_failures.failures + 1 end`,
          updated_at: now,
        }),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  /** Lock until a time; the count starts again after it. */
  async lock(key: string, until: number, now: number): Promise<void> {
    await this.db
      .updateTable('login_failures')
      .set({ failures: 0, locked_until: until, updated_at: now })
      .where('key', '=', key)
      .execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('login_failures').where('key', '=', key).execute();
  }
}
