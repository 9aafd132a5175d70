import type { Config } from '../config.ts';
import { migrateToLatest, openDatabase } from '../platform/db/index.ts';
import { databaseUrlOf } from '../platform/platform.ts';

/** `zhixin migrate`: apply pending migrations. */
export async function runMigrate(config: Config): Promise<number> {
  const database = openDatabase({ url: databaseUrlOf(config) });
  try {
    const applied = await migrateToLatest(database);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  } finally {
    await database.close();
  }
}
