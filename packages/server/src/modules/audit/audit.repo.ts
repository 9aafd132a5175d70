import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { AuditCategory } from '@zhixin/protocol';
import { queryTemplate } from '../../platform/db/compiled-query.ts';
import { keepPrepared, unnestInsert, type DB, type Dialect } from '../../platform/db/index.ts';
import type { ChainedFields } from './audit.chain.ts';

export type AuditRow = Selectable<DB['audit_log']>;

export interface AuditFilter {
  category?: AuditCategory;
  action?: string;
  actorId?: string;
  subject?: string;
  conversationId?: string;
  from?: number;
  to?: number;
  beforeSeq?: number;
  /** Oldest first from this seq on (exports); otherwise newest first. */
  afterSeq?: number;
  limit: number;
}

export function rowToChained(row: AuditRow): ChainedFields & { hash: string } {
  return {
    seq: row.seq,
    at: row.at,
    category: row.category,
    action: row.action,
    actorId: row.actor_id,
    subject: row.subject,
    conversationId: row.conversation_id,
    targetIds: row.target_ids,
    deviceId: row.device_id,
    ip: row.ip,
    detailsEnc: row.details_enc,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toRow(f: ChainedFields & { hash: string }): AuditRow {
  return {
    seq: f.seq,
    at: f.at,
    category: f.category,
    action: f.action,
    actor_id: f.actorId,
    subject: f.subject,
    conversation_id: f.conversationId,
    target_ids: f.targetIds,
    device_id: f.deviceId,
    ip: f.ip,
    details_enc: f.detailsEnc,
    prev_hash: f.prevHash,
    hash: f.hash,
  };
}

/** The columns of audit_log in insert order, with their PostgreSQL types (for unnest). */
const COLUMNS = [
  ['seq', 'int8'],
  ['at', 'int8'],
  ['category', 'text'],
  ['action', 'text'],
  ['actor_id', 'text'],
  ['subject', 'text'],
  ['conversation_id', 'text'],
  ['target_ids', 'text'],
  ['device_id', 'text'],
  ['ip', 'text'],
  ['details_enc', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
] as const satisfies ReadonlyArray<readonly [keyof AuditRow, string]>;
const UNNEST_INSERT = unnestInsert<AuditRow, (typeof COLUMNS)[number][0]>('audit_log', COLUMNS);

/**
 * The key of the transaction-scoped advisory lock that orders appends on PostgreSQL: every process
 * of a cluster appends to one chain, and two transactions that read the same head would collide
 * on the next seq (one rolls back and goes again, and under load again and again).
 */
const CHAIN_LOCK = CompiledQuery.raw(keepPrepared('select pg_advisory_xact_lock(7424210001)'));

/** Rows of audit_log. Appends only: nothing here updates or deletes. */
export class AuditRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * In an append transaction, before the head is read: wait for the other appenders' transactions
   * (PostgreSQL; on SQLite the write transaction already holds the database's only write lock).
   */
  async lockChain(trx: Kysely<DB>): Promise<void> {
    if (this.dialect === 'postgres') await trx.executeQuery(CHAIN_LOCK);
  }

  // Every append runs these two: compiled once. The limit is a literal: as a parameter, PostgreSQL
  // cannot tell a generic plan's cost and plans the named statement afresh on every run.
  private readonly headQuery = queryTemplate(() =>
    this.db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(sql.lit(1))
      .compile(),
  );
  private readonly insertQuery = queryTemplate((f: ChainedFields & { hash: string }) =>
    this.db.insertInto('audit_log').values(toRow(f)).compile(),
  );

  async head(db: Kysely<DB> = this.db): Promise<{ seq: number; hash: string } | null> {
    const row = (await db.executeQuery(this.headQuery.bind({}))).rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }

  /** Insert chained records in order: one statement on PostgreSQL, one per record on SQLite. */
  async insertMany(db: Kysely<DB>, records: ReadonlyArray<ChainedFields & { hash: string }>): Promise<void> {
    if (records.length === 0) return;
    if (this.dialect === 'postgres') {
      await db.executeQuery(UNNEST_INSERT(records.map(toRow)));
      return;
    }
    for (const f of records) await db.executeQuery(this.insertQuery.bind(f));
  }

  async list(filter: AuditFilter): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.category) q = q.where('category', '=', filter.category);
    if (filter.action) {
      q = filter.action.endsWith('.')
        ? q.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '')}%`)
        : q.where('action', '=', filter.action);
    }
    if (filter.actorId) q = q.where('actor_id', '=', filter.actorId);
    if (filter.subject) q = q.where('subject', '=', filter.subject);
    if (filter.conversationId) q = q.where('conversation_id', '=', filter.conversationId);
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (filter.beforeSeq !== undefined) q = q.where('seq', '<', filter.beforeSeq);
    if (filter.afterSeq !== undefined) {
      return q.where('seq', '>', filter.afterSeq).orderBy('seq', 'asc').limit(filter.limit).execute();
    }
    return q.orderBy('seq', 'desc').limit(filter.limit).execute();
  }

  /** Rows with seq > after, ascending (the verifier walks the chain in runs). */
  async run(after: number, limit: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(limit)
      .execute();
  }
}
