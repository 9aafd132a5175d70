import type { MomentDraft, MomentDraftContent, MomentDraftKind, MomentReportStatus } from '@zhixin/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';
import type { Position } from './moments.cursor.ts';

export interface ReportRecord {
  id: string;
  postId: string;
  reporterId: string;
  reason: string;
  status: MomentReportStatus;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

const draftCtx = (userId: string, kind: string, key: string) =>
  `moments_drafts.content:${userId}:${kind}:${key}`;
const reasonCtx = (id: string) => `moments_reports.reason:${id}`;

/** moments_drafts and moments_reports: the only place with their SQL. */
export class MomentDraftsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  async saveDraft(userId: string, draft: MomentDraft): Promise<void> {
    const content_enc = this.keyring.seal(
      JSON.stringify(draft.content),
      draftCtx(userId, draft.kind, draft.key),
    );
    await this.db
      .insertInto('moments_drafts')
      .values({ user_id: userId, kind: draft.kind, key: draft.key, content_enc, updated_at: draft.updatedAt })
      .onConflict((oc) =>
        oc.columns(['user_id', 'kind', 'key']).doUpdateSet({ content_enc, updated_at: draft.updatedAt }),
      )
      .execute();
  }

  async drafts(userId: string): Promise<MomentDraft[]> {
    const rows = await this.db
      .selectFrom('moments_drafts')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('updated_at', 'desc')
      .execute();
    return rows.map((r) => ({
      kind: r.kind,
      key: r.key,
      content: JSON.parse(
        this.keyring.open(r.content_enc, draftCtx(userId, r.kind, r.key)),
      ) as MomentDraftContent,
      updatedAt: Number(r.updated_at),
    }));
  }

  /** True when a draft was there. */
  async deleteDraft(userId: string, kind: MomentDraftKind, key: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('moments_drafts')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async reportOf(postId: string, reporterId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('moments_reports')
      .select('id')
      .where('post_id', '=', postId)
      .where('reporter_id', '=', reporterId)
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** Whether any of these posts was ever reported (operators may then review their media). */
  async anyReported(postIds: readonly string[]): Promise<boolean> {
    if (!postIds.length) return false;
    const row = await this.db
      .selectFrom('moments_reports')
      .select('id')
      .where('post_id', 'in', postIds)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addReport(r: ReportRecord): Promise<void> {
    await this.db
      .insertInto('moments_reports')
      .values({
        id: r.id,
        post_id: r.postId,
        reporter_id: r.reporterId,
        reason_enc: this.keyring.seal(r.reason, reasonCtx(r.id)),
        status: r.status,
        created_at: r.createdAt,
        resolved_at: null,
        resolved_by: null,
      })
      .execute();
  }

  async reports(
    status: MomentReportStatus | undefined,
    before: Position | null,
    limit: number,
  ): Promise<ReportRecord[]> {
    let q = this.db.selectFrom('moments_reports').selectAll();
    if (status) q = q.where('status', '=', status);
    if (before) {
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', before.createdAt),
          eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => this.toReport(r));
  }

  async report(id: string): Promise<ReportRecord | null> {
    const row = await this.db
      .selectFrom('moments_reports')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toReport(row) : null;
  }

  private toReport(r: Selectable<DB['moments_reports']>): ReportRecord {
    return {
      id: r.id,
      postId: r.post_id,
      reporterId: r.reporter_id,
      reason: this.keyring.open(r.reason_enc, reasonCtx(r.id)),
      status: r.status,
      createdAt: Number(r.created_at),
      resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
      resolvedBy: r.resolved_by,
    };
  }

  /** Resolve one open report; false when it was no longer open. */
  async resolve(id: string, status: 'removed' | 'dismissed', by: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('moments_reports')
      .set({ status, resolved_at: now, resolved_by: by })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Every open report of a removed post is resolved as removed. */
  async resolveOpenOfPost(postId: string, by: string, now: number): Promise<void> {
    await this.db
      .updateTable('moments_reports')
      .set({ status: 'removed', resolved_at: now, resolved_by: by })
      .where('post_id', '=', postId)
      .where('status', '=', 'open')
      .execute();
  }
}
