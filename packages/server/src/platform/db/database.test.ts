import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase, WarmPoolError } from './database.ts';
import { freshDatabase, freshDatabaseUrl, testDialects } from './testing.ts';

describe('SQLite settings of openDatabase', () => {
  it('runs WAL with NORMAL sync (WalDurability syncs the commits) and checkpoints every 8,000 pages', async () => {
    const { db, close } = await freshDatabase('sqlite');
    try {
      const pragma = async (name: string) => {
        const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db);
        return Object.values(rows[0] ?? {})[0];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(1);
      expect(await pragma('wal_autocheckpoint')).toBe(8000);
    } finally {
      await close();
    }
  });
});

/** The backends of the database `url` names, as pg_stat_activity shows them to another session. */
async function backendsOf(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: process.env.ZX_TEST_PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: string }>(
      "select count(*) as n from pg_stat_activity where datname = $1 and application_name = 'zhixin'",
      [name],
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await admin.end();
  }
}

/** End every backend of the database `url` names (what a PostgreSQL restart does to them). */
async function terminateBackendsOf(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: process.env.ZX_TEST_PG_URL });
  await admin.connect();
  try {
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [
      new URL(url).pathname.slice(1),
    ]);
  } finally {
    await admin.end();
  }
}

describe.skipIf(!testDialects().includes('postgres'))('the PostgreSQL pool of openDatabase', () => {
  it('opens its warm connections at start and keeps them when idle; the others close', async () => {
    const url = await freshDatabaseUrl('postgres');
    const database = openDatabase({ url, pool: { size: 6, warm: 3, idleSeconds: 1 } });
    try {
      await database.warm();
      expect(await backendsOf(url)).toBe(3);
      // A burst takes more; a second after it, only the warm ones are left.
      await Promise.all(Array.from({ length: 6 }, () => sql`select pg_sleep(0.05)`.execute(database.db)));
      expect(await backendsOf(url)).toBe(6);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(await backendsOf(url)).toBe(3);
    } finally {
      await database.close();
    }
  });

  it('survives its idle connections being ended (a server restart) and serves the next query', async () => {
    // Trust authentication ignores the password: it is here to be kept out of what is reported.
    const url = new URL(await freshDatabaseUrl('postgres'));
    url.password = 'not-for-logs';
    const failures: Error[] = [];
    const database = openDatabase({
      url: url.toString(),
      pool: { size: 4, warm: 2 },
      onIdleError: (err) => failures.push(err),
    });
    try {
      await database.warm();
      await terminateBackendsOf(url.toString());
      // Before the fix the pool's 'error' event had no listener: the process threw and ended here.
      await vi.waitFor(() => expect(failures.length).toBe(2));
      // pg-pool hangs the client (connection parameters, password) on the error: not passed on.
      expect(failures[0]).toMatchObject({ code: '57P01' });
      expect(Object.keys(failures[0]!)).toEqual(['code']);
      expect(JSON.stringify(failures[0]) + String(failures[0])).not.toContain('not-for-logs');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
    }
  });

  it('opens what it can of its warm connections and says how many it could not', async () => {
    const url = new URL(await freshDatabaseUrl('postgres'));
    const role = `zx_test_limited_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.ZX_TEST_PG_URL });
    await admin.connect();
    await admin.query(`create role ${role} login connection limit 1`);
    url.username = role;
    const database = openDatabase({ url: url.toString(), pool: { size: 3, warm: 3 } });
    try {
      const err = await database.warm().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarmPoolError);
      expect(err).toMatchObject({ opened: 1, wanted: 3 });
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await database.close();
      await admin.query(`drop role ${role}`);
      await admin.end();
    }
  });
});
