import type { Kysely, Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';

export type TargetKind = DB['ops_broadcasts']['target_kind'];
export type FeedbackState = DB['ops_feedback']['status'];

/** One send of the operations account, decrypted. */
export interface BroadcastRecord {
  id: string;
  senderId: string;
  targetKind: TargetKind;
  targetId: string | null;
  text: string;
  status: 'running' | 'done';
  total: number;
  delivered: number;
  cursor: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface FeedbackRecord {
  userId: string;
  conversationId: string;
  status: FeedbackState;
  lastSeq: number;
  lastAt: number;
  updatedAt: number;
}

const textContext = (id: string) => `ops_broadcasts.text:${id}`;

/** The operations-account tables: the only place with their SQL. Broadcast texts are sealed. */
export class OpsAccountRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  async accountId(): Promise<string | null> {
    const row = await this.db
      .selectFrom('ops_account')
      .select('user_id')
      .where('key', '=', 'ops')
      .executeTakeFirst();
    return row?.user_id ?? null;
  }

  /** Record the account; another node may have won the race: the stored id is returned. */
  async saveAccountId(userId: string, now: number): Promise<string> {
    await this.db
      .insertInto('ops_account')
      .values({ key: 'ops', user_id: userId, created_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.accountId()) ?? userId;
  }

  async channel(): Promise<{ conversationId: string; subscribedThrough: string | null } | null> {
    const row = await this.db
      .selectFrom('ops_channel')
      .select(['conversation_id', 'subscribed_through'])
      .where('key', '=', 'ops')
      .executeTakeFirst();
    return row ? { conversationId: row.conversation_id, subscribedThrough: row.subscribed_through } : null;
  }

  /** Record the channel; another node may have won the race: the stored id is returned. */
  async saveChannel(conversationId: string, now: number): Promise<string> {
    await this.db
      .insertInto('ops_channel')
      .values({ key: 'ops', conversation_id: conversationId, subscribed_through: null, created_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    return (await this.channel())?.conversationId ?? conversationId;
  }

  /** Move the subscription cursor forward (never back: nodes may race). */
  async subscribedThrough(userId: string): Promise<void> {
    await this.db
      .updateTable('ops_channel')
      .set({ subscribed_through: userId })
      .where('key', '=', 'ops')
      .where((eb) => eb.or([eb('subscribed_through', 'is', null), eb('subscribed_through', '<', userId)]))
      .execute();
  }

  private toBroadcast(row: Selectable<DB['ops_broadcasts']>): BroadcastRecord {
    return {
      id: row.id,
      senderId: row.sender_id,
      targetKind: row.target_kind,
      targetId: row.target_id,
      text: this.keyring.open(row.text_enc, textContext(row.id)),
      status: row.status,
      total: Number(row.total),
      delivered: Number(row.delivered),
      cursor: row.cursor,
      createdAt: Number(row.created_at),
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    };
  }

  async insertBroadcast(b: BroadcastRecord): Promise<void> {
    await this.db
      .insertInto('ops_broadcasts')
      .values({
        id: b.id,
        sender_id: b.senderId,
        target_kind: b.targetKind,
        target_id: b.targetId,
        text_enc: this.keyring.seal(b.text, textContext(b.id)),
        status: b.status,
        total: b.total,
        delivered: b.delivered,
        cursor: b.cursor,
        created_at: b.createdAt,
        updated_at: b.createdAt,
        finished_at: b.finishedAt,
      })
      .execute();
  }

  async broadcast(id: string): Promise<BroadcastRecord | null> {
    const row = await this.db
      .selectFrom('ops_broadcasts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toBroadcast(row) : null;
  }

  /** Newest first; ids are time-ordered, so `before` is the last id of the previous page. */
  async broadcasts(before: string | null, limit: number): Promise<BroadcastRecord[]> {
    let q = this.db.selectFrom('ops_broadcasts').selectAll();
    if (before !== null) q = q.where('id', '<', before);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => this.toBroadcast(r));
  }

  async runningIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('ops_broadcasts')
      .select('id')
      .where('status', '=', 'running')
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** After a batch: move the cursor and the count forward (and finish) in one statement. */
  async progress(
    id: string,
    p: { cursor: string | null; delivered: number; done: boolean; total?: number },
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('ops_broadcasts')
      .set({
        cursor: p.cursor,
        delivered: p.delivered,
        updated_at: now,
        ...(p.total !== undefined ? { total: p.total } : {}),
        ...(p.done ? { status: 'done' as const, finished_at: now } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  private toFeedback(row: Selectable<DB['ops_feedback']>): FeedbackRecord {
    return {
      userId: row.user_id,
      conversationId: row.conversation_id,
      status: row.status,
      lastSeq: Number(row.last_seq),
      lastAt: Number(row.last_at),
      updatedAt: Number(row.updated_at),
    };
  }

  /** A user wrote: the conversation is open (again) with this latest message. */
  async noteFeedback(userId: string, conversationId: string, seq: number, at: number): Promise<void> {
    await this.db
      .insertInto('ops_feedback')
      .values({
        user_id: userId,
        conversation_id: conversationId,
        status: 'open',
        last_seq: seq,
        last_at: at,
        updated_at: at,
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          conversation_id: conversationId,
          status: 'open',
          last_seq: seq,
          last_at: at,
          updated_at: at,
        }),
      )
      .execute();
  }

  /** Returns false when the user never wrote. */
  async markAnswered(userId: string, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('ops_feedback')
      .set({ status: 'answered', updated_at: now })
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async feedback(userId: string): Promise<FeedbackRecord | null> {
    const row = await this.db
      .selectFrom('ops_feedback')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? this.toFeedback(row) : null;
  }

  /** Latest first; the page after (lastAt, userId) of the previous page's last item. */
  async feedbackPage(
    status: FeedbackState | undefined,
    after: { lastAt: number; userId: string } | null,
    limit: number,
  ): Promise<FeedbackRecord[]> {
    let q = this.db.selectFrom('ops_feedback').selectAll();
    if (status) q = q.where('status', '=', status);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('last_at', '<', after.lastAt),
          eb.and([eb('last_at', '=', after.lastAt), eb('user_id', '<', after.userId)]),
        ]),
      );
    }
    const rows = await q.orderBy('last_at', 'desc').orderBy('user_id', 'desc').limit(limit).execute();
    return rows.map((r) => this.toFeedback(r));
  }
}
