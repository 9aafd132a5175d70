import type { Kysely, Selectable } from 'kysely';
import type { AuditCategory } from '@zhixin/protocol';
import { queryTemplate } from '../../platform/db/compiled-query.ts';
import type { DB } from '../../platform/db/index.ts';
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

/** Rows of audit_log. Appends only: nothing here updates or deletes. */
export class AuditRepo {
  constructor(private readonly db: Kysely<DB>) {}

  // Every append runs these two: compiled once.
  private readonly headQuery = queryTemplate(() =>
    this.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).compile(),
  );
  private readonly insertQuery = queryTemplate((f: ChainedFields & { hash: string }) =>
    this.db
      .insertInto('audit_log')
      .values({
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
      })
      .compile(),
  );

  async head(db: Kysely<DB> = this.db): Promise<{ seq: number; hash: string } | null> {
    const row = (await db.executeQuery(this.headQuery.bind({}))).rows[0];
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }

  async insert(db: Kysely<DB>, f: ChainedFields & { hash: string }): Promise<void> {
    await db.executeQuery(this.insertQuery.bind(f));
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
