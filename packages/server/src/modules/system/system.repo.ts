import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

export interface StoredSettings {
  value: unknown;
  updatedAt: number;
  updatedBy: string | null;
}

/** The runtime_settings table: the only place with its SQL. Values are JSON text. */
export class SystemRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async get(key: string): Promise<StoredSettings | null> {
    const row = await this.db
      .selectFrom('runtime_settings')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return null;
    return {
      value: JSON.parse(row.value) as unknown,
      updatedAt: Number(row.updated_at),
      updatedBy: row.updated_by,
    };
  }

  async put(key: string, value: unknown, now: number, by: string): Promise<void> {
    const json = JSON.stringify(value);
    await this.db
      .insertInto('runtime_settings')
      .values({ key, value: json, updated_at: now, updated_by: by })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now, updated_by: by }))
      .execute();
  }
}
