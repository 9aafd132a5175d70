import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryTemplate } from './compiled-query.ts';
import { migrateToLatest, openDatabase, type Database } from './database.ts';
import { keepPrepared, preparedName } from './prepared-statements.ts';
import { freshDatabaseUrl, testDialects } from './testing.ts';

describe('keepPrepared', () => {
  it('names a text once and returns it unchanged', () => {
    const text = `select 1 as kept_${Date.now()}`;
    expect(preparedName(text)).toBeUndefined();
    expect(keepPrepared(text)).toBe(text);
    const name = preparedName(text);
    expect(name).toMatch(/^zx_\d+$/);
    keepPrepared(text);
    expect(preparedName(text)).toBe(name);
  });
});

/**
 * On PostgreSQL the texts kept run as named statements: the connection holds them parsed (and,
 * once PostgreSQL chooses, planned), where an unnamed statement is parsed and planned every run.
 */
describe.skipIf(!testDialects().includes('postgres'))('named statements (postgres)', () => {
  let database: Database;

  beforeAll(async () => {
    // One connection, so that every query below runs on the session whose statements are read.
    database = openDatabase({ url: await freshDatabaseUrl('postgres'), pool: { size: 1 } });
    await migrateToLatest(database);
  });
  afterAll(() => database.close());

  async function preparedTexts(): Promise<string[]> {
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      database.db,
    );
    return rows.map((r) => r.statement);
  }

  it('runs a query template as a named statement, with each run its own values', async () => {
    const { db } = database;
    await db
      .insertInto('conversations')
      .values(
        ['p1', 'p2'].map((id, i) => ({
          id,
          kind: 'group' as const,
          title: id,
          direct_key: null,
          owner_id: null,
          last_seq: i + 3,
          member_count: 0,
          created_at: 1,
          updated_at: 1,
        })),
      )
      .execute();
    const seqOf = queryTemplate((p: { id: string }) =>
      db.selectFrom('conversations').select('last_seq').where('id', '=', p.id).compile(),
    );
    const first = await db.executeQuery(seqOf.bind({ id: 'p1' }));
    const second = await db.executeQuery(seqOf.bind({ id: 'p2' }));
    expect([first.rows[0]?.last_seq, second.rows[0]?.last_seq]).toEqual([3, 4]);
    expect(await preparedTexts()).toContain(seqOf.sql);
  });

  it('leaves other texts unnamed, and a kept raw text runs named inside a transaction too', async () => {
    const unnamed = `select 41 + 1 as answer`;
    const kept = keepPrepared(`select 40 + $1::int as answer`);
    const answers = await database.db.transaction().execute(async (trx) => {
      const a = await trx.executeQuery<{ answer: number }>(CompiledQuery.raw(unnamed, []));
      const b = await trx.executeQuery<{ answer: number }>(CompiledQuery.raw(kept, [2]));
      return [a.rows[0]?.answer, b.rows[0]?.answer];
    });
    expect(answers).toEqual([42, 42]);
    const texts = await preparedTexts();
    expect(texts).toContain(kept);
    expect(texts).not.toContain(unnamed);
  });

  it('goes on after a migration changed the columns of a kept select *, on a new connection', async () => {
    const { db } = database;
    const backend = async () =>
      (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)).rows[0]?.pid;
    await sql`create table stale_columns (a int)`.execute(db);
    await sql`insert into stale_columns values (1)`.execute(db);
    const everything = keepPrepared('select * from stale_columns');
    const run = (on = db) => on.executeQuery<Record<string, number>>(CompiledQuery.raw(everything, []));
    expect((await run()).rows).toEqual([{ a: 1 }]);
    const first = await backend();
    // Another node's migration: this connection's named statement now returns other columns.
    await sql`alter table stale_columns add column b int default 2`.execute(db);
    // Outside a transaction the query runs again, unnamed; the connection is closed on release.
    expect((await run()).rows).toEqual([{ a: 1, b: 2 }]);
    const second = await backend();
    expect(second).not.toBe(first);
    expect((await run()).rows).toEqual([{ a: 1, b: 2 }]);
    // Inside a transaction the error stands: the transaction is aborted and fails once.
    await sql`alter table stale_columns add column c int default 3`.execute(db);
    await expect(db.transaction().execute((trx) => run(trx))).rejects.toThrow(
      'cached plan must not change result type',
    );
    expect((await run()).rows).toEqual([{ a: 1, b: 2, c: 3 }]);
    expect(await backend()).not.toBe(second);
  });
});
