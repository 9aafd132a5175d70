import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { Dialect } from './database.ts';

/**
 * Run `fn` in a write transaction. On SQLite it starts with BEGIN IMMEDIATE: a deferred transaction
 * that reads before it writes fails at once with SQLITE_BUSY when another process (--workers) wrote
 * in between, whereas IMMEDIATE takes the write lock up front and waits out busy_timeout.
 */
export async function writeTransaction<T>(
  db: Kysely<DB>,
  dialect: Dialect,
  fn: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await fn(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
    try {
      await sql`commit`.execute(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
    return result;
  });
}
