import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { WalDurability } from './wal-durability.ts';

export interface StatementCacheStats {
  hits: number;
  misses: number;
  evictions: number;
  size: number;
}

/**
 * Prepared statements by SQL text, least recently used evicted first. Kysely's SQLite driver
 * prepares every query afresh, and SQLite's prepare (parse + plan) costs as much as running a
 * small statement; a statement is reusable once it has run, so the same SQL text can keep one.
 */
export class StatementCache {
  private readonly entries = new Map<string, { stmt: SQLite.Statement; used: number }>();
  private readonly counters = { hits: 0, misses: 0, evictions: 0 };
  private clock = 0;

  constructor(
    private readonly prepareFn: (sql: string) => SQLite.Statement,
    readonly maxEntries = 256,
  ) {
    if (maxEntries < 1) throw new Error('maxEntries must be at least 1');
  }

  get stats(): StatementCacheStats {
    return { ...this.counters, size: this.entries.size };
  }

  prepare(sql: string): SQLite.Statement {
    const hit = this.entries.get(sql);
    // A statement still iterating (a streamed query) cannot run again: give that caller its own.
    if (hit && !hit.stmt.busy) {
      this.counters.hits++;
      hit.used = ++this.clock;
      return hit.stmt;
    }
    this.counters.misses++;
    const stmt = this.prepareFn(sql);
    if (hit) return stmt;
    if (this.entries.size >= this.maxEntries) this.evictLeastRecent();
    this.entries.set(sql, { stmt, used: ++this.clock });
    return stmt;
  }

  clear(): void {
    this.entries.clear();
  }

  // A hit only stamps its entry; the scan for the oldest stamp runs on a miss with a full cache,
  // which a working set smaller than the cache never has.
  private evictLeastRecent(): void {
    let oldest: string | undefined;
    let stamp = Infinity;
    for (const [sql, entry] of this.entries) {
      if (entry.used < stamp) {
        stamp = entry.used;
        oldest = sql;
      }
    }
    if (oldest !== undefined) {
      this.entries.delete(oldest);
      this.counters.evictions++;
    }
  }
}

// Statements whose success can end a write: any that writes (outside a transaction it commits by
// itself) and the ones that end a transaction. BEGIN, COMMIT and RELEASE count as read-only in
// SQLite, hence the text test.
const ENDS_TRANSACTION = /^\s*(commit|end|release)\b/i;

function mayCommit(stmt: SQLite.Statement, sql: string): boolean {
  return !stmt.readonly || ENDS_TRANSACTION.test(sql);
}

/** A statement that tells the durability after it ran, if it left no transaction open. */
function durableStatement(
  stmt: SQLite.Statement,
  sqlite: SQLite.Database,
  durability: WalDurability,
): SqliteStatement {
  const after = (): void => {
    if (!sqlite.inTransaction) durability.committed();
  };
  return {
    get reader() {
      return stmt.reader;
    },
    all(parameters) {
      const rows = stmt.all(...parameters);
      after();
      return rows;
    },
    run(parameters) {
      const result = stmt.run(...parameters);
      after();
      return result;
    },
    *iterate(parameters) {
      yield* stmt.iterate(...parameters);
      after();
    },
  };
}

/**
 * A database for Kysely's SqliteDialect whose `prepare` answers from a StatementCache; everything
 * else (transactions, the connection mutex, result mapping) stays Kysely's own driver. With a
 * durability, every statement that may commit tells it when it has (see WalDurability).
 */
export function cachingDatabase(
  sqlite: SQLite.Database,
  cache: StatementCache,
  durability?: WalDurability,
): SqliteDatabase {
  // What each prepared statement runs as, decided once: itself, or wrapped when it may commit.
  const runAs = new WeakMap<SQLite.Statement, SqliteStatement>();
  return {
    prepare: (sql) => {
      const stmt = cache.prepare(sql);
      if (!durability) return stmt;
      let statement = runAs.get(stmt);
      if (!statement) {
        statement = mayCommit(stmt, sql) ? durableStatement(stmt, sqlite, durability) : stmt;
        runAs.set(stmt, statement);
      }
      return statement;
    },
    close: () => {
      cache.clear();
      durability?.close();
      sqlite.close();
    },
  };
}
