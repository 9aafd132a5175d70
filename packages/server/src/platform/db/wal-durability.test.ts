import { fstatSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DB } from './schema.ts';
import { cachingDatabase, StatementCache } from './statement-cache.ts';
import { freshDatabase } from './testing.ts';
import {
  DurabilityError,
  durabilityOf,
  registerDurability,
  WalDurability,
  type FileSyncer,
} from './wal-durability.ts';
import { writeTransaction } from './write-transaction.ts';

/** A syncer whose background syncs finish only when the test says so. */
function gatedSyncer() {
  const log: string[] = [];
  const gates: Array<{ finish(err?: Error): void }> = [];
  const syncer: FileSyncer = {
    syncNow: () => void log.push('now'),
    syncLater: () =>
      new Promise<void>((resolve, reject) => {
        const n = gates.length + 1;
        log.push(`later#${n} start`);
        gates.push({
          finish: (err) => {
            log.push(`later#${n} end`);
            if (err) reject(err);
            else resolve();
          },
        });
      }),
  };
  return { syncer, log, gates };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WalDurability', () => {
  it('syncs a plain commit at once and a deferred one only through flush', () => {
    const { syncer, log } = gatedSyncer();
    const d = new WalDurability('/dev/null', syncer);
    d.committed();
    expect(log).toEqual(['now']);
    d.deferNextCommit();
    d.committed();
    expect(log).toEqual(['now']);
    // The deferral covers one commit only.
    d.committed();
    expect(log).toEqual(['now', 'now']);
    expect(d.stats).toMatchObject({ blocking: 2, background: 0 });
    d.close();
  });

  it('resolves a flush only after a sync that began after it, shared by those waiting', async () => {
    const { syncer, log, gates } = gatedSyncer();
    const d = new WalDurability('/dev/null', syncer);
    const settled: string[] = [];
    void d.flush().then(() => settled.push('a'));
    // b and c come while sync #1 runs: it may have begun before their commits, so they wait for #2.
    void d.flush().then(() => settled.push('b'));
    void d.flush().then(() => settled.push('c'));
    expect(log).toEqual(['later#1 start']);
    gates[0]?.finish();
    await tick();
    expect(settled).toEqual(['a']);
    expect(log).toEqual(['later#1 start', 'later#1 end', 'later#2 start']);
    gates[1]?.finish();
    await tick();
    expect(settled).toEqual(['a', 'b', 'c']);
    expect(d.stats).toMatchObject({ background: 2, joined: 1 });
    d.close();
  });

  it('fails every later sync once one failed', async () => {
    const { syncer, gates } = gatedSyncer();
    const d = new WalDurability('/dev/null', syncer);
    const first = d.flush();
    gates[0]?.finish(new Error('EIO'));
    await expect(first).rejects.toBeInstanceOf(DurabilityError);
    await expect(d.flush()).rejects.toThrow(/EIO/);
    expect(() => d.committed()).toThrow(DurabilityError);
    expect(gates).toHaveLength(1);
    d.close();
  });
});

describe('writeTransaction on SQLite with WalDurability', () => {
  function gatedDatabase() {
    const file = join(mkdtempSync(join(tmpdir(), 'zx-wal-')), 'test.db');
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.exec('create table t (id integer primary key, v text not null)');
    const gated = gatedSyncer();
    const durability = new WalDurability(`${file}-wal`, gated.syncer);
    const db = new Kysely<DB>({
      dialect: new SqliteDialect({
        database: cachingDatabase(sqlite, new StatementCache((s) => sqlite.prepare(s)), durability),
      }),
    });
    registerDurability(db, durability);
    const count = () => (new SQLite(file).prepare('select count(*) as n from t').get() as { n: number }).n;
    return { db, durability, count, ...gated };
  }

  it('settles only after the sync that followed its commit, and frees the connection meanwhile', async () => {
    const { db, count, log, gates } = gatedDatabase();
    try {
      let acked = false;
      const tx = writeTransaction(db, 'sqlite', (trx) =>
        sql`insert into t (v) values ('a')`.execute(trx),
      ).then(() => (acked = true));
      await tick();
      // Committed (another connection sees the row), not yet acknowledged.
      expect(count()).toBe(1);
      expect(log).toEqual(['later#1 start']);
      expect(acked).toBe(false);
      // The connection is free: a plain write runs and syncs on its own, before the group sync ends.
      await sql`insert into t (v) values ('b')`.execute(db);
      expect(log).toEqual(['later#1 start', 'now']);
      gates[0]?.finish();
      await tx;
      expect(acked).toBe(true);
    } finally {
      await db.destroy();
    }
  });

  it('does not defer the next commit when a transaction rolled back', async () => {
    const { db, log, durability } = gatedDatabase();
    try {
      await expect(
        writeTransaction(db, 'sqlite', async (trx) => {
          await sql`insert into t (v) values ('x')`.execute(trx);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await sql`insert into t (v) values ('y')`.execute(db);
      expect(log).toEqual(['now']);
      expect(durability.stats).toMatchObject({ blocking: 1, background: 0 });
    } finally {
      await db.destroy();
    }
  });

  it('rejects with DurabilityError when the sync fails, after the commit', async () => {
    const { db, count, gates } = gatedDatabase();
    try {
      const tx = writeTransaction(db, 'sqlite', (trx) => sql`insert into t (v) values ('a')`.execute(trx));
      await tick();
      gates[0]?.finish(new Error('EIO'));
      await expect(tx).rejects.toBeInstanceOf(DurabilityError);
      expect(count()).toBe(1);
      await expect(sql`insert into t (v) values ('b')`.execute(db)).rejects.toBeInstanceOf(DurabilityError);
    } finally {
      await db.destroy();
    }
  });
});

describe('openDatabase on a SQLite file', () => {
  it('syncs plain writes at once and shares background syncs between concurrent transactions', async () => {
    const { db, close } = await freshDatabase('sqlite');
    try {
      const durability = durabilityOf(db);
      expect(durability).toBeDefined();
      const before = { ...durability?.stats };
      await sql`create table w (id integer primary key)`.execute(db);
      expect(durability?.stats.blocking).toBe((before.blocking ?? 0) + 1);
      // Reads do not sync.
      await sql`select count(*) from w`.execute(db);
      expect(durability?.stats.blocking).toBe((before.blocking ?? 0) + 1);
      const n = 20;
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          writeTransaction(db, 'sqlite', (trx) => sql`insert into w (id) values (${i})`.execute(trx)),
        ),
      );
      const background = (durability?.stats.background ?? 0) - (before.background ?? 0);
      expect(background).toBeGreaterThanOrEqual(1);
      expect(background).toBeLessThan(n);
      const { rows } = await sql<{ n: number }>`select count(*) as n from w`.execute(db);
      expect(rows[0]?.n).toBe(n);
    } finally {
      await close();
    }
  });
});

describe('closing a WalDurability', () => {
  it('keeps the WAL descriptor open until a running sync has finished', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zx-wal-')), 'test.db-wal');
    writeFileSync(file, 'x');
    const seen: number[] = [];
    let finish = () => undefined as void;
    const syncer: FileSyncer = {
      syncNow: () => undefined,
      syncLater: (fd) =>
        new Promise<void>((resolve) => {
          seen.push(fd);
          finish = resolve;
        }),
    };
    const d = new WalDurability(file, syncer);
    const flushed = d.flush();
    d.close();
    const fd = seen[0] as number;
    const ino = statSync(file).ino;
    const refersToWal = () => {
      try {
        return fstatSync(fd).ino === ino;
      } catch {
        return false;
      }
    };
    // Still the WAL's while the sync runs; closed once it has ended (the number may be reused).
    expect(refersToWal()).toBe(true);
    finish();
    await flushed;
    await tick();
    expect(refersToWal()).toBe(false);
  });
});
