import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import type { Config } from '../../config.ts';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';
import { namingPool } from './prepared-statements.ts';
import { cachingDatabase, StatementCache } from './statement-cache.ts';
import { registerDurability, WalDurability } from './wal-durability.ts';
import { WalKeeper } from './wal-keeper.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /**
   * PostgreSQL: open the pool's warm connections now (DatabaseOptions.pool.warm). Throws
   * WarmPoolError when some could not be opened; those that could stay in the pool.
   */
  warm(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A driver error as a log may show it: message and SQLSTATE/errno code only. pg-pool attaches the
 * client to an idle connection's error, and with it the connection parameters, password included.
 */
function loggable(err: unknown): Error {
  const out = new Error(err instanceof Error ? err.message : String(err));
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(out, { code });
  return out;
}

/** Fewer warm connections opened than asked for (e.g. PostgreSQL's max_connections reached). */
export class WarmPoolError extends Error {
  constructor(
    readonly opened: number,
    readonly wanted: number,
    cause: unknown,
  ) {
    super(`opened ${opened} of ${wanted} warm database connections`, { cause });
  }
}

export interface DatabaseOptions {
  /** `postgres://...` for PostgreSQL; otherwise a SQLite file path (or `:memory:`). */
  url: string;
  /** PostgreSQL: the pool of this process (config `databasePool`); defaults 10, 0 warm, 60 s. */
  pool?: Partial<Config['databasePool']>;
  /**
   * PostgreSQL: a connection failed while idle in the pool (the server restarted, an operator ended
   * the backend). The pool drops it and opens another when one is needed.
   */
  onIdleError?: (err: Error) => void;
}

/**
 * The WAL's ceiling: at a natural restart SQLite truncates the file to this (journal_size_limit),
 * and past it the keeper empties it (see WalKeeper). Twice the 8,000-page checkpoint threshold.
 */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(join(file, '..'), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // Acknowledged means durable: every commit's WAL frames are synced before anyone is told it
  // happened. SQLite's FULL does that inside COMMIT, on the event loop; with NORMAL, WalDurability
  // does it (see there): at once for plain statements, on the thread pool for writeTransaction's
  // group commits. An in-memory database has no WAL and nothing to sync.
  const durable = file !== ':memory:';
  sqlite.pragma(durable ? 'synchronous = NORMAL' : 'synchronous = FULL');
  const durability = durable ? new WalDurability(`${file}-wal`) : undefined;
  // A checkpoint copies every page changed since the last one from the WAL into the database, inside
  // the commit that triggers it. A group commit of messages changes hundreds of index pages, mostly
  // the same ones commit after commit: at the default 1,000 pages one commit in two paid a
  // checkpoint; at 8,000 (a 32 MiB WAL) a hot page is copied once per ~16 commits. Durability is
  // the same: each commit's WAL frames are synced before it returns.
  sqlite.pragma('wal_autocheckpoint = 8000');
  sqlite.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.defaultSafeIntegers(false);
  const statements = new StatementCache((sql) => sqlite.prepare(sql));
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: cachingDatabase(sqlite, statements, durability) }),
  });
  if (durability) registerDurability(db, durability);
  const keeper = durable
    ? new WalKeeper(sqlite, {
        walPath: `${file}-wal`,
        limitBytes: WAL_LIMIT_BYTES,
        intervalMs: 5000,
        busyMs: 50,
      })
    : undefined;
  keeper?.start();
  return {
    db,
    dialect: 'sqlite',
    warm: async () => {},
    close: () => {
      keeper?.stop();
      return db.destroy();
    },
  };
}

function openPostgres(opts: DatabaseOptions): Database {
  const size = opts.pool?.size ?? 10;
  const warmCount = opts.pool?.warm ?? 0;
  // The driver is loaded when the first query needs the pool: a SQLite installation (one process per
  // worker) would otherwise hold it for nothing (~3 MiB of heap each).
  let opened: Promise<PgPool> | undefined;
  const driverPool = () =>
    (opened ??= import('pg').then(({ default: pg }) => {
      // int8 (bigint) columns hold millisecond times and seqs, all well inside 2^53: parse them as numbers.
      pg.types.setTypeParser(20, (v) => Number(v));
      const pool = new pg.Pool({
        connectionString: opts.url,
        max: size,
        min: warmCount,
        idleTimeoutMillis: (opts.pool?.idleSeconds ?? 60) * 1000,
        application_name: 'zhixin',
        // Explicit, so a server default of "off" cannot weaken acknowledged-means-durable.
        options: '-c synchronous_commit=on',
      });
      // Without a listener, an idle connection's failure would be thrown and end the process.
      pool.on('error', (err) => opts.onIdleError?.(loggable(err)));
      return pool;
    }));
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool: async () => namingPool(await driverPool()) }),
  });
  return {
    db,
    dialect: 'postgres',
    async warm() {
      if (warmCount === 0) return;
      const pool = await driverPool();
      const opened = await Promise.allSettled(Array.from({ length: warmCount }, () => pool.connect()));
      let count = 0;
      let failure: unknown;
      for (const o of opened) {
        if (o.status === 'fulfilled') {
          o.value.release();
          count++;
        } else failure ??= o.reason;
      }
      if (count < warmCount) throw new WarmPoolError(count, warmCount, loggable(failure));
    },
    close: () => db.destroy(),
  };
}

/** Open the database named by a URL: PostgreSQL for `postgres(ql)://`, else a SQLite file. */
export function openDatabase(opts: DatabaseOptions): Database {
  return /^postgres(ql)?:\/\//.test(opts.url) ? openPostgres(opts) : openSqlite(opts.url);
}

/** Run every pending migration; returns the names applied. Throws on the first failure. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether an error is a unique-constraint violation, on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
