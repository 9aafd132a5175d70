import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** The system_settings table: the only place with its SQL. Values are JSON text. */
export class SettingsRepo {
  constructor(private readonly db: Kysely<DB>) {}

  /** The parsed value under `key`, or null. */
  async get(key: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('system_settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? (JSON.parse(row.value) as unknown) : null;
  }

  async put(key: string, value: unknown, now: number): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('system_settings')
      .values({ key, value: json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
      .execute();
  }
}
