import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Generated } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { padded, paddedSize, placeholderTuples } from './batches.ts';
import { cachingDatabase, StatementCache } from './statement-cache.ts';

interface TestDB {
  notes: { id: Generated<number>; body: string; n: number };
}

const open: SQLite.Database[] = [];
function memory(): SQLite.Database {
  const db = new SQLite(':memory:');
  open.push(db);
  db.exec('create table notes (id integer primary key, body text not null, n integer not null)');
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

/** A cache over a database that counts the prepares reaching SQLite. */
function counted(db: SQLite.Database, maxEntries?: number) {
  const prepared: string[] = [];
  const cache = new StatementCache((text) => {
    prepared.push(text);
    return db.prepare(text);
  }, maxEntries);
  return { cache, prepared };
}

describe('StatementCache', () => {
  it('prepares a SQL text once and hands back the same statement', () => {
    const { cache, prepared } = counted(memory());
    const a = cache.prepare('select * from notes where id = ?');
    const b = cache.prepare('select * from notes where id = ?');
    expect(b).toBe(a);
    expect(prepared).toHaveLength(1);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, evictions: 0, size: 1 });
  });

  it('holds at most maxEntries statements and evicts the least recently used', () => {
    const { cache, prepared } = counted(memory(), 3);
    const texts = [1, 2, 3, 4].map((i) => `select ${i} as v`);
    cache.prepare(texts[0]!);
    cache.prepare(texts[1]!);
    cache.prepare(texts[2]!);
    cache.prepare(texts[0]!); // 0 is now the most recent; 1 the least
    cache.prepare(texts[3]!);
    expect(cache.stats).toMatchObject({ size: 3, evictions: 1 });
    for (let round = 0; round < 100; round++) cache.prepare(`select ${round} + 100 as v`);
    expect(cache.stats.size).toBe(3);
    prepared.length = 0;
    cache.prepare(texts[3]!); // pushed out by the 100 newer texts: prepared again
    expect(prepared).toEqual([texts[3]]);
  });

  it('keeps the recently used statement and re-prepares the evicted one', () => {
    const { cache, prepared } = counted(memory(), 2);
    cache.prepare('select 1');
    cache.prepare('select 2');
    cache.prepare('select 1');
    cache.prepare('select 3'); // evicts "select 2"
    prepared.length = 0;
    cache.prepare('select 1');
    cache.prepare('select 2');
    expect(prepared).toEqual(['select 2']);
  });

  it('gives a caller its own statement while the cached one is still iterating', () => {
    const db = memory();
    db.exec("insert into notes (body, n) values ('a', 1), ('b', 2)");
    const { cache } = counted(db);
    const text = 'select body from notes order by id';
    const first = cache.prepare(text);
    const rows = first.iterate();
    rows.next();
    const second = cache.prepare(text);
    expect(second).not.toBe(first);
    expect(second.all()).toEqual([{ body: 'a' }, { body: 'b' }]);
    rows.return?.();
    expect(cache.prepare(text)).toBe(first);
  });

  it('sees a schema change made after a statement was cached', () => {
    const db = memory();
    const { cache } = counted(db);
    db.exec("insert into notes (body, n) values ('a', 1)");
    expect(cache.prepare('select * from notes').all()).toEqual([{ id: 1, body: 'a', n: 1 }]);
    db.exec("alter table notes add column tag text not null default 't'");
    expect(cache.prepare('select * from notes').all()).toEqual([{ id: 1, body: 'a', n: 1, tag: 't' }]);
  });
});

describe('Kysely over a caching database', () => {
  /** The same statements through a plain and a caching dialect; returns every result. */
  async function run(db: Kysely<TestDB>) {
    const out: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      out.push(
        await db
          .insertInto('notes')
          .values({ body: `note ${i}`, n: i })
          .returning(['id', 'n'])
          .execute(),
      );
      out.push(
        await db
          .insertInto('notes')
          .values({ body: `more ${i}`, n: i * 10 })
          .executeTakeFirst(),
      );
      out.push(
        await db
          .updateTable('notes')
          .set({ n: sql`n + 1` })
          .where('n', '>', i)
          .executeTakeFirst(),
      );
      out.push(await db.selectFrom('notes').selectAll().where('n', '>=', i).orderBy('id').execute());
      out.push(
        await db.transaction().execute(async (trx) => {
          await trx
            .deleteFrom('notes')
            .where('id', '=', i + 1)
            .execute();
          return trx
            .selectFrom('notes')
            .select((eb) => eb.fn.countAll<number>().as('c'))
            .executeTakeFirst();
        }),
      );
    }
    return out;
  }

  it('returns exactly what the uncached driver returns, preparing each text once', async () => {
    const plain = new Kysely<TestDB>({ dialect: new SqliteDialect({ database: memory() }) });
    const sqlite = memory();
    const { cache, prepared } = counted(sqlite);
    const cached = new Kysely<TestDB>({
      dialect: new SqliteDialect({ database: cachingDatabase(sqlite, cache) }),
    });
    expect(await run(cached)).toEqual(await run(plain));
    expect(new Set(prepared).size).toBe(prepared.length);
    expect(cache.stats.hits).toBeGreaterThan(cache.stats.misses);
    await cached.destroy();
    await plain.destroy();
    expect(sqlite.open).toBe(false);
  });
});

describe('batch shapes', () => {
  it('pads lists to powers of two', () => {
    expect([0, 1, 2, 3, 5, 128, 129].map(paddedSize)).toEqual([1, 1, 2, 4, 8, 128, 256]);
    expect(padded(['a', 'b', 'c'], 'x')).toEqual(['a', 'b', 'c', 'x']);
    expect(padded([], 'x')).toEqual(['x']);
  });

  it('writes placeholder tuples for each dialect', () => {
    expect(placeholderTuples('sqlite', 2, 2)).toBe('(?, ?), (?, ?)');
    expect(placeholderTuples('postgres', 2, 3, 4)).toBe('($4, $5, $6), ($7, $8, $9)');
  });
});
