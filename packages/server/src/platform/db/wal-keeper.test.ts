import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { WalKeeper } from './wal-keeper.ts';

const ROW = 'x'.repeat(2000);

/** Two connections to one WAL database, as two worker processes would have. */
function twoConnections() {
  const file = join(mkdtempSync(join(tmpdir(), 'zx-wal-keeper-')), 'test.db');
  const writer = new SQLite(file);
  writer.pragma('journal_mode = WAL');
  // No automatic checkpoints: the WAL only grows unless the keeper acts.
  writer.pragma('wal_autocheckpoint = 0');
  writer.pragma('busy_timeout = 3000');
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const other = new SQLite(file);
  const insert = writer.prepare('INSERT INTO t (body) VALUES (?)');
  const write = (rows: number) =>
    writer.transaction(() => {
      for (let i = 0; i < rows; i++) insert.run(ROW);
    })();
  const walBytes = () => statSync(`${file}-wal`).size;
  const count = (db: SQLite.Database) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  /** A keeper on the writer's connection with this limit and wait. */
  const keeperOf = (limitBytes: number, busyMs: number) =>
    new WalKeeper(writer, { walPath: `${file}-wal`, limitBytes, intervalMs: 1000, busyMs });
  return { writer, other, write, walBytes, count, keeperOf };
}

const opened: SQLite.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

describe('WalKeeper', () => {
  it('empties a WAL past its limit, keeping every committed row', () => {
    const { writer, other, write, walBytes, count, keeperOf } = twoConnections();
    opened.push(writer, other);
    write(2000);
    expect(walBytes()).toBeGreaterThan(1_000_000);
    const keeper = keeperOf(1_000_000, 50);

    expect(keeper.tick()).toBe('truncated');
    expect(walBytes()).toBe(0);
    expect(count(other)).toBe(2000);
    // The connection's own busy timeout is what it was.
    expect(writer.pragma('busy_timeout', { simple: true })).toBe(3000);
    write(10);
    expect(count(other)).toBe(2010);
  });

  it('leaves a WAL under its limit alone', () => {
    const { writer, other, write, walBytes, keeperOf } = twoConnections();
    opened.push(writer, other);
    write(10);
    const before = walBytes();
    const keeper = keeperOf(10_000_000, 50);
    expect(keeper.tick()).toBe('small');
    expect(walBytes()).toBe(before);
  });

  it('gives up after its wait while another connection reads an older snapshot, and succeeds once it is done', () => {
    const { writer, other, write, walBytes, count, keeperOf } = twoConnections();
    opened.push(writer, other);
    write(1000);
    // A read transaction on the other connection pins the WAL as it is now.
    other.exec('BEGIN');
    expect(count(other)).toBe(1000);
    write(1000);
    const keeper = keeperOf(1_000_000, 20);

    expect(keeper.tick()).toBe('busy');
    expect(walBytes()).toBeGreaterThan(1_000_000);
    // The reader still sees its snapshot; nothing was lost.
    expect(count(other)).toBe(1000);
    other.exec('COMMIT');
    expect(keeper.tick()).toBe('truncated');
    expect(walBytes()).toBe(0);
    expect(count(other)).toBe(2000);
  });

  it('does not checkpoint from inside a transaction of its own connection', () => {
    const { writer, other, write, keeperOf } = twoConnections();
    opened.push(writer, other);
    write(1000);
    const keeper = keeperOf(100_000, 20);
    writer.exec('BEGIN');
    expect(keeper.tick()).toBe('in-transaction');
    writer.exec('COMMIT');
    expect(keeper.tick()).toBe('truncated');
  });

  it('is on for a SQLite file opened by openDatabase, with the WAL capped for natural restarts too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zx-wal-keeper-')), 'zhixin.db');
    const database = openDatabase({ url: file });
    try {
      // journal_size_limit is per connection: read it through the database's own connection.
      const { rows } = await sql<{ journal_size_limit: number }>`PRAGMA journal_size_limit`.execute(
        database.db,
      );
      expect(rows[0]?.journal_size_limit).toBe(64 * 1024 * 1024);
    } finally {
      await database.close();
    }
  });
});
