import type { Member, MemberRole } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import { SizedQueryTemplates } from '../../platform/db/compiled-query.ts';
import { paddedKeyParts, type DB } from '../../platform/db/index.ts';
import { chunks, newMemberRow, toMemberRecord, type MemberRow } from './conversations.rows.ts';
import type { MemberRecord } from './conversations.types.ts';

export interface SettingsPatch {
  pinned?: boolean;
  muted?: boolean;
  hidden?: boolean;
}

const ROLE_RANK: Record<MemberRole, number> = { owner: 0, admin: 1, member: 2 };

/** Who is in a conversation, as the membership cache loads it. */
export interface MembershipRecord {
  kind: DB['conversations']['kind'];
  /** Members in join order; of a channel, only its publishers (owner and admins). */
  memberIds: string[];
  /** The owner and admins. */
  privilegedIds: string[];
}

/** SQL over the members table: who is in a conversation, roles, read positions, own settings. */
export class MembersRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  // A channel's audience is every user: of a channel, only its publishers are loaded. The left join
  // keeps a conversation without members; ids not found return no row.
  private readonly membershipRows = new SizedQueryTemplates((p: { ids: string[] }, list, size) =>
    this.db
      .selectFrom('conversations as c')
      .leftJoin('members as m', (join) =>
        join
          .onRef('m.conversation_id', '=', 'c.id')
          .on((eb) => eb.or([eb('c.kind', '!=', 'channel'), eb('m.role', 'in', ['owner', 'admin'])])),
      )
      .select(['c.id', 'c.kind', 'm.user_id', 'm.role'])
      .where('c.id', 'in', list('ids', size))
      .orderBy('c.id')
      .orderBy('m.joined_at')
      .orderBy('m.user_id')
      .compile(),
  );

  /** Who is in a conversation; null when it does not exist. */
  async membership(conversationId: string): Promise<MembershipRecord | null> {
    return (await this.memberships([conversationId]))[0] ?? null;
  }

  /** `membership` of each id, in the order of `ids`: one query per 256 ids. */
  async memberships(ids: readonly string[]): Promise<Array<MembershipRecord | null>> {
    const found = new Map<string, MembershipRecord>();
    for (const part of paddedKeyParts(ids)) {
      const { rows } = await this.db.executeQuery(this.membershipRows.of(part.length).bind({ ids: part }));
      for (const r of rows) {
        let m = found.get(r.id);
        if (!m) found.set(r.id, (m = { kind: r.kind, memberIds: [], privilegedIds: [] }));
        if (r.user_id === null) continue;
        m.memberIds.push(r.user_id);
        if (r.role === 'owner' || r.role === 'admin') m.privilegedIds.push(r.user_id);
      }
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  /**
   * Member rows for these users with their read position at `readSeq`, skipping those who have one;
   * the conversation's member count grows by the number added. Returns it.
   */
  async subscribe(
    trx: Kysely<DB>,
    conversationId: string,
    userIds: readonly string[],
    readSeq: number,
    now: number,
  ): Promise<number> {
    let added = 0;
    for (const part of chunks(userIds, 500)) {
      const result = await trx
        .insertInto('members')
        .values(part.map((userId) => newMemberRow(conversationId, userId, 'member', now, { readSeq })))
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    if (added > 0)
      await trx
        .updateTable('conversations')
        .set((eb) => ({ member_count: eb('member_count', '+', added) }))
        .where('id', '=', conversationId)
        .execute();
    return added;
  }

  /** Members, owner first, then admins, then by join time. */
  async list(conversationId: string, db: Kysely<DB> = this.db): Promise<Member[]> {
    const rows = await db
      .selectFrom('members')
      .select(['user_id', 'role', 'joined_at', 'read_seq'])
      .where('conversation_id', '=', conversationId)
      .orderBy('joined_at')
      .orderBy('user_id')
      .execute();
    const members = rows.map((r) => ({
      userId: r.user_id,
      role: r.role,
      joinedAt: Number(r.joined_at),
      readSeq: Number(r.read_seq),
    }));
    // Stable sort: join order holds within each role.
    return members.sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role]);
  }

  async get(conversationId: string, userId: string, db: Kysely<DB> = this.db): Promise<MemberRecord | null> {
    const row = await db
      .selectFrom('members')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? toMemberRecord(row, this.keyring) : null;
  }

  /** Insert members, skipping those already present; returns the ids actually added. */
  async insertMany(trx: Kysely<DB>, rows: readonly MemberRow[]): Promise<string[]> {
    const added: string[] = [];
    for (const part of chunks(rows, 200)) {
      const res = await trx
        .insertInto('members')
        .values(part)
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .returning('user_id')
        .execute();
      added.push(...res.map((r) => r.user_id));
    }
    return added;
  }

  /** Delete members; returns the ids actually removed. */
  async removeMany(trx: Kysely<DB>, conversationId: string, userIds: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const part of chunks(userIds, 500)) {
      const res = await trx
        .deleteFrom('members')
        .where('conversation_id', '=', conversationId)
        .where('user_id', 'in', part)
        .returning('user_id')
        .execute();
      removed.push(...res.map((r) => r.user_id));
    }
    return removed;
  }

  async updateSettings(
    conversationId: string,
    userId: string,
    patch: SettingsPatch,
    now: number,
  ): Promise<MemberRecord | null> {
    const set: Partial<MemberRow> = { updated_at: now };
    if (patch.pinned !== undefined) set.pinned = patch.pinned ? 1 : 0;
    if (patch.muted !== undefined) set.muted = patch.muted ? 1 : 0;
    if (patch.hidden !== undefined) set.hidden = patch.hidden ? 1 : 0;
    const row = await this.db
      .updateTable('members')
      .set(set)
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row ? toMemberRecord(row, this.keyring) : null;
  }

  /** Store an already sealed draft (null clears it). */
  async setDraft(
    conversationId: string,
    userId: string,
    sealed: string | null,
    now: number,
  ): Promise<MemberRecord | null> {
    const row = await this.db
      .updateTable('members')
      .set({ draft_enc: sealed, draft_updated_at: sealed === null ? null : now, updated_at: now })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row ? toMemberRecord(row, this.keyring) : null;
  }

  /** Move the read position forward to `seq` (never back); true when it moved. */
  async advanceRead(conversationId: string, userId: string, seq: number, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('members')
      .set({ read_seq: seq, updated_at: now })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .where('read_seq', '<', seq)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** The longest-standing member (earliest join), the heir of a leaving owner. */
  async oldest(trx: Kysely<DB>, conversationId: string): Promise<string | null> {
    const row = await trx
      .selectFrom('members')
      .select('user_id')
      .where('conversation_id', '=', conversationId)
      .orderBy('joined_at')
      .orderBy('user_id')
      .limit(1)
      .executeTakeFirst();
    return row?.user_id ?? null;
  }

  async setRole(
    trx: Kysely<DB>,
    conversationId: string,
    userId: string,
    role: MemberRole,
    now: number,
  ): Promise<void> {
    await trx
      .updateTable('members')
      .set({ role, updated_at: now })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .execute();
  }

  async readPositions(conversationId: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('members')
      .select(['user_id', 'read_seq'])
      .where('conversation_id', '=', conversationId)
      .execute();
    return new Map(rows.map((r) => [r.user_id, Number(r.read_seq)]));
  }

  /** The groups (not dissolved) each user is a member of, for recommendation and exports. */
  async groupIdsOf(userIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return out;
    const rows = await this.db
      .selectFrom('members')
      .innerJoin('conversations', 'conversations.id', 'members.conversation_id')
      .leftJoin('group_settings', 'group_settings.conversation_id', 'members.conversation_id')
      .select(['members.user_id', 'members.conversation_id'])
      .where('members.user_id', 'in', [...userIds])
      .where('conversations.kind', '=', 'group')
      .where('group_settings.dissolved_at', 'is', null)
      .execute();
    for (const r of rows) out.get(r.user_id)?.push(r.conversation_id);
    return out;
  }
}
