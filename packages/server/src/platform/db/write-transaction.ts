import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { Dialect } from './database.ts';
import { durabilityOf } from './wal-durability.ts';

/**
 * Run `fn` in a write transaction. On SQLite it starts with BEGIN IMMEDIATE: a deferred transaction
 * that reads before it writes fails at once with SQLITE_BUSY when another process (--workers) wrote
 * in between, whereas IMMEDIATE takes the write lock up front and waits out busy_timeout.
 *
 * On SQLite the commit is made durable after the connection is released: the returned promise
 * settles once a sync of the WAL that began after the commit has finished (WalDurability), while
 * the event loop and the next transaction go on. Should that sync fail, it rejects with a
 * DurabilityError: the transaction did commit, so a caller must not simply run it again.
 */
export async function writeTransaction<T>(
  db: Kysely<DB>,
  dialect: Dialect,
  fn: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(fn);
  const durability = durabilityOf(db);
  const result = await db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    let result: T;
    try {
      result = await fn(conn);
    } catch (err) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
    durability?.deferNextCommit();
    try {
      await sql`commit`.execute(conn);
    } catch (err) {
      durability?.cancelDeferral();
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw err;
    }
    return result;
  });
  await durability?.flush();
  return result;
}
