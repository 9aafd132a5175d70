import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * SQL texts that PostgreSQL keeps parsed and planned on each connection (named prepared
 * statements). node-postgres sends every query unnamed, so PostgreSQL parses and plans it on each
 * run; for the send path's statements that cost more than running them (the one-statement send:
 * ~0.38 ms to plan, ~0.28 ms to run, by pg_stat_statements). The texts named are those run many
 * times with the same text: query templates, the unnest inserts, the one-statement send. A
 * connection prepares a name the first time it runs it; PostgreSQL then plans it generically once
 * a generic plan is as cheap as the custom ones (plan_cache_mode = auto).
 *
 * Named statements live on a server connection: a pooler in front of PostgreSQL must keep a client
 * on one connection (PgBouncer's session mode, or its transaction mode from 1.21 with
 * max_prepared_statements set).
 */

/** At most this many texts are named, so that a bug building texts from values cannot grow it. */
const MAX_NAMED = 1000;

const names = new Map<string, string>();

/** Ask for `sql` to run as a named statement on PostgreSQL (nothing on SQLite); returns `sql`. */
export function keepPrepared(sql: string): string {
  if (!names.has(sql) && names.size < MAX_NAMED) names.set(sql, `zx_${names.size + 1}`);
  return sql;
}

/** The statement name `sql` runs under, if it is one to keep. */
export function preparedName(sql: string): string | undefined {
  return names.get(sql);
}

/** What the driver's client does (node-postgres's pg.PoolClient, typed as far as it is used here). */
export interface DriverClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
  query(text: string, values: unknown[]): Promise<unknown>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  release(destroy?: boolean): void;
}

/** A driver's pool: node-postgres's pg.Pool. */
export interface DriverPool {
  connect(): Promise<DriverClient>;
  end(): Promise<void>;
}

/**
 * PostgreSQL's answer when a named statement's result columns changed under it (a migration):
 * "cached plan must not change result type", SQLSTATE 0A000 from RevalidateCachedQuery. Matched by
 * code and routine, which a server with translated messages (lc_messages = zh_CN) still sends as is.
 */
function isStaleStatement(err: unknown): boolean {
  const e = err as { code?: unknown; routine?: unknown } | null;
  return e?.code === '0A000' && e.routine === 'RevalidateCachedQuery';
}

/** Statements that open and end a transaction, as Kysely sends them. */
const OPENS_TRANSACTION = /^\s*(begin|start\s+transaction)\b/i;
const ENDS_TRANSACTION = /^\s*(commit|end|abort|rollback(?!\s+to\b))\b/i;

/**
 * The pool Kysely's PostgresDialect uses: the driver's, whose clients run the texts kept by
 * keepPrepared as named statements. One wrapper per driver client, so Kysely (which keeps a
 * connection per client object) sees the same client each time it is checked out.
 *
 * A migration that changes a table's columns (a rolling upgrade: another node migrated) makes a
 * connection's named `select *` fail with "cached plan must not change result type". That
 * connection is then closed when it is released, so its statements are prepared afresh on a new
 * one; and outside a transaction the failed query runs once more, unnamed, so the caller never
 * sees it. Inside a transaction the error stands (the transaction is aborted) and the caller's
 * transaction fails once.
 */
export function namingPool(pool: DriverPool): PostgresPool {
  const wrappers = new WeakMap<DriverClient, PostgresPoolClient>();
  const wrap = (client: DriverClient): PostgresPoolClient => {
    let inTransaction = false;
    let stale = false;
    function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query<R>(
      sqlOrCursor: string | PostgresCursor<R>,
      parameters?: ReadonlyArray<unknown>,
    ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
      if (typeof sqlOrCursor !== 'string') return client.query(sqlOrCursor);
      const sql = sqlOrCursor;
      // Kysely passes a fresh copy of the compiled parameters, which node-postgres only reads.
      const values = (parameters ?? []) as unknown[];
      const name = names.get(sql);
      if (!name) {
        if (OPENS_TRANSACTION.test(sql)) inTransaction = true;
        else if (ENDS_TRANSACTION.test(sql)) inTransaction = false;
        return client.query(sql, values) as Promise<PostgresQueryResult<R>>;
      }
      const result = client.query({ name, text: sql, values }).catch((err: unknown) => {
        if (!isStaleStatement(err)) throw err;
        stale = true;
        if (inTransaction) throw err;
        return client.query(sql, values);
      });
      return result as Promise<PostgresQueryResult<R>>;
    }
    return {
      query,
      release: (destroy?: boolean) => {
        if (stale) wrappers.delete(client);
        client.release(destroy === true || stale);
      },
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
