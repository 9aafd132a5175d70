import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** People marked as having left the organisation (invalid-user screening, R-C2). */
export interface Departures {
  /** Mark (`left`) or unmark a user; `by` is the staff member who did. */
  setLeft(userId: string, left: boolean, by: string | null): Promise<void>;
  /** When each of these users left, for those who did. */
  leftAt(userIds: readonly string[]): Promise<Map<string, number>>;
  /** Everyone who left, with when. */
  allLeft(): Promise<Map<string, number>>;
}

/** The `directory_departures` table. */
export function createDepartures(db: Kysely<DB>, now: () => number = Date.now): Departures {
  return {
    async setLeft(userId, left, by) {
      if (!left) {
        await db.deleteFrom('directory_departures').where('user_id', '=', userId).execute();
        return;
      }
      await db
        .insertInto('directory_departures')
        .values({ user_id: userId, left_at: now(), marked_by: by })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
    },
    async leftAt(userIds) {
      const out = new Map<string, number>();
      for (let i = 0; i < userIds.length; i += 500) {
        const part = userIds.slice(i, i + 500);
        const rows = await db
          .selectFrom('directory_departures')
          .select(['user_id', 'left_at'])
          .where('user_id', 'in', part)
          .execute();
        for (const r of rows) out.set(r.user_id, Number(r.left_at));
      }
      return out;
    },
    async allLeft() {
      const rows = await db.selectFrom('directory_departures').select(['user_id', 'left_at']).execute();
      return new Map(rows.map((r) => [r.user_id, Number(r.left_at)]));
    },
  };
}
