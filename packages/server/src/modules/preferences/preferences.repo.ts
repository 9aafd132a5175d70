import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** The user_preferences table: the only place with its SQL. Values are JSON text. */
export class PreferencesRepo {
  constructor(private readonly db: Kysely<DB>) {}

  /** The stored JSON, parsed; null when the user never changed a preference. */
  async get(userId: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('user_preferences')
      .select('value')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as unknown) : null;
  }

  async put(userId: string, value: unknown, now: number): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('user_preferences')
      .values({ user_id: userId, value: json, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ value: json, updated_at: now }))
      .execute();
  }
}
