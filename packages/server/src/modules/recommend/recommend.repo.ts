import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** The recommendation_dismissals table: the only place with its SQL. */
export class RecommendRepo {
  constructor(private readonly db: Kysely<DB>) {}

  /** Remember a dismissal; dismissing twice keeps the first. */
  async dismiss(userId: string, dismissedId: string, now: number): Promise<void> {
    await this.db
      .insertInto('recommendation_dismissals')
      .values({ user_id: userId, dismissed_id: dismissedId, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'dismissed_id']).doNothing())
      .execute();
  }

  async dismissed(userId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('recommendation_dismissals')
      .select('dismissed_id')
      .where('user_id', '=', userId)
      .execute();
    return new Set(rows.map((r) => r.dismissed_id));
  }
}
