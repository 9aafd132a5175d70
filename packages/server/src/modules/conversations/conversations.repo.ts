import { sql, type InferResult, type Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import { queryTemplate, SizedQueryTemplates } from '../../platform/db/compiled-query.ts';
import { MAX_PADDED, padded, type DB } from '../../platform/db/index.ts';
import {
  chunks,
  toConversationRecord,
  toMemberRecord,
  type ConversationRow,
  type MemberRow,
} from './conversations.rows.ts';
import type { ConversationRecord, MemberView } from './conversations.types.ts';

/** Pads id lists: conversation ids are ULIDs, never empty. */
const NO_ID = '';

/** A batch's seq reservation: padded parallel lists of conversation ids and message counts. */
interface ReserveParams {
  ids: string[];
  counts: number[];
  now: number;
}

/** A user's member rows joined to their conversations: the columns of a MemberView. */
function memberViewsOf(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('members as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .select([
      'c.id',
      'c.kind',
      'c.title',
      'c.direct_key',
      'c.owner_id',
      'c.last_seq',
      'c.member_count',
      'c.created_at',
      'c.updated_at',
      'm.conversation_id',
      'm.user_id',
      'm.role',
      'm.joined_at',
      'm.read_seq',
      'm.pinned',
      'm.muted',
      'm.hidden',
      'm.draft_enc',
      'm.draft_updated_at',
      'm.updated_at as member_updated_at',
    ])
    .where('m.user_id', '=', userId);
}

type ViewRow = InferResult<ReturnType<typeof memberViewsOf>>[number];

/**
 * PostgreSQL, for a send batch committed in one statement (the messages module's claimed send):
 * CTEs that claim seqs for the conversations of `want` (id, n, expected) whose last seq is still
 * `expected`, advancing it by n, and bring those conversations back for members who hid them. They
 * define `claimed` (id: the conversations claimed) and `seen` (id, last_seq: every conversation of
 * `want` as it stood when the statement began; no row for one that does not exist). A conversation
 * another writer moved on is simply not claimed. `now` is the placeholder of the time.
 */
export function claimSeqsSql(want: string, now: string): string {
  return `claimed as (
    update conversations c set last_seq = c.last_seq + w.n, updated_at = ${now}
    from ${want} w where c.id = w.id and c.last_seq = w.expected
    returning c.id
  ),
  unhidden as (
    update members set hidden = 0, updated_at = ${now}
    where conversation_id in (select id from claimed) and hidden = 1
  ),
  seen as (select id, last_seq from conversations where id in (select id from ${want}))`;
}

/** SQL over the conversations table, and the conversation-plus-my-member-row views. */
export class ConversationsRepo {
  // Every send batch runs these two: compiled once per padded size instead of built every time.
  // VALUES columns are column1, column2 on both dialects; the cast types the count on PostgreSQL.
  private readonly reserve = new SizedQueryTemplates((p: ReserveParams, list, size) => {
    const ids = list('ids', size);
    const counts = list('counts', size);
    const values = ids.map((id, i) => sql`(${id}, cast(${counts[i] as number} as integer))`);
    return sql<{ id: string; last_seq: number }>`update conversations
      set last_seq = last_seq + v.column2, updated_at = ${p.now}
      from (values ${sql.join(values)}) as v
      where conversations.id = v.column1
      returning conversations.id, conversations.last_seq`.compile(this.db);
  });
  // A new message brings a hidden conversation back for its members (partial index on hidden = 1).
  // The 1 is a literal: SQLite matches a partial index to a parameter only by re-preparing the
  // statement each time that parameter is bound (3-5x the cost of this update).
  private readonly unhide = new SizedQueryTemplates((p: { ids: string[]; now: number }, list, size) =>
    this.db
      .updateTable('members')
      .set({ hidden: 0, updated_at: p.now })
      .where('conversation_id', 'in', list('ids', size))
      .where('hidden', '=', sql.lit(1))
      .compile(),
  );
  // Every reconnect lists what changed since its cursor: built and compiled once, not per call
  // (the builder and compiler cost more than SQLite's indexed join).
  private readonly allViews = queryTemplate((p: { userId: string }) =>
    memberViewsOf(this.db, p.userId).orderBy('c.updated_at', 'desc').compile(),
  );
  private readonly viewsSince = queryTemplate((p: { userId: string; since: number }) =>
    memberViewsOf(this.db, p.userId)
      .where((eb) => eb.or([eb('m.updated_at', '>', p.since), eb('c.updated_at', '>', p.since)]))
      .orderBy('c.updated_at', 'desc')
      .compile(),
  );
  private readonly oneView = queryTemplate((p: { userId: string; conversationId: string }) =>
    memberViewsOf(this.db, p.userId).where('m.conversation_id', '=', p.conversationId).compile(),
  );

  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  async byId(id: string, db: Kysely<DB> = this.db): Promise<ConversationRecord | null> {
    const row = await db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toConversationRecord(row) : null;
  }

  async byDirectKey(directKey: string): Promise<ConversationRecord | null> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('direct_key', '=', directKey)
      .executeTakeFirst();
    return row ? toConversationRecord(row) : null;
  }

  /** Insert a conversation and its first members (in the caller's transaction). */
  async insert(trx: Kysely<DB>, conversation: ConversationRow, members: readonly MemberRow[]): Promise<void> {
    await trx.insertInto('conversations').values(conversation).execute();
    for (const part of chunks(members, 200)) await trx.insertInto('members').values(part).execute();
  }

  /**
   * The conversations of a user with their member row, newest first; with `since`, only those whose
   * conversation row or member row changed after it.
   */
  async views(userId: string, since?: number): Promise<MemberView[]> {
    const query =
      since === undefined ? this.allViews.bind({ userId }) : this.viewsSince.bind({ userId, since });
    return this.toViews((await this.db.executeQuery(query)).rows);
  }

  /** One conversation of a user with their member row, or null when they are not a member. */
  async view(userId: string, conversationId: string): Promise<MemberView | null> {
    const { rows } = await this.db.executeQuery(this.oneView.bind({ userId, conversationId }));
    return this.toViews(rows)[0] ?? null;
  }

  private toViews(rows: readonly ViewRow[]): MemberView[] {
    return rows.map((r) => ({
      conversation: toConversationRecord(r),
      me: toMemberRecord({ ...r, updated_at: r.member_updated_at }, this.keyring),
    }));
  }

  /**
   * Reserve contiguous seqs (one statement per MAX_PADDED conversations); returns the new last seq
   * of each conversation. The id lists are padded to power-of-two lengths with an id no
   * conversation has, so the statement texts repeat across batches (SQLite reuses its prepared
   * statements, PostgreSQL parses text it has seen) and work on both dialects unchanged.
   */
  async reserveSeqs(
    trx: Kysely<DB>,
    counts: ReadonlyMap<string, number>,
    now: number,
  ): Promise<Map<string, number>> {
    // Sorted: concurrent batches on other nodes meet the rows in the same order where the plan allows.
    const ids = [...counts.keys()].sort();
    const out = new Map<string, number>();
    for (const part of chunks(ids, MAX_PADDED)) {
      const padIds = padded(part, NO_ID);
      const added = padIds.map((id) => counts.get(id) ?? 0);
      const { rows } = await trx.executeQuery(
        this.reserve.of(padIds.length).bind({ ids: padIds, counts: added, now }),
      );
      for (const r of rows) out.set(r.id, Number(r.last_seq));
      await trx.executeQuery(this.unhide.of(padIds.length).bind({ ids: padIds, now }));
    }
    return out;
  }

  async setTitle(id: string, title: string, now: number): Promise<void> {
    await this.db.updateTable('conversations').set({ title, updated_at: now }).where('id', '=', id).execute();
  }

  /**
   * Change the member count (and bump the row); with `max`, only if the result stays within it.
   * Returns the updated row, or null when the cap refused it (or there is no such conversation).
   */
  async addToMemberCount(
    trx: Kysely<DB>,
    id: string,
    delta: number,
    now: number,
    max?: number,
  ): Promise<ConversationRecord | null> {
    const row = await trx
      .updateTable('conversations')
      .set({ member_count: sql<number>`member_count + ${sql.lit(delta)}`, updated_at: now })
      .where('id', '=', id)
      .$if(max !== undefined, (qb) =>
        qb.where(sql<boolean>`member_count + ${sql.lit(delta)} <= ${sql.lit(max as number)}`),
      )
      .returningAll()
      .executeTakeFirst();
    return row ? toConversationRecord(row) : null;
  }

  async setOwner(trx: Kysely<DB>, id: string, ownerId: string | null, now: number): Promise<void> {
    await trx
      .updateTable('conversations')
      .set({ owner_id: ownerId, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** Bump the row so `conversations.list({since})` includes it: a message in it changed. */
  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable('conversations').set({ updated_at: now }).where('id', '=', id).execute();
  }
}
