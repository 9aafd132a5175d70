import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';
import { chunks } from './conversations.rows.ts';
import type { SendPolicy } from './conversations.types.ts';

const ANNOUNCEMENT_CONTEXT = 'groups.announcement';
const NICKNAME_CONTEXT = 'groups.nickname';

/** A group's own settings (defaults for a group made before they existed). */
export interface GroupSettings {
  conversationId: string;
  avatarImageId: string | null;
  announcement: { text: string; updatedAt: number; byUserId: string } | null;
  joinApproval: boolean;
  muteAll: boolean;
  temporary: boolean;
  dissolvedAt: number | null;
  codeVersion: number;
}

export interface SettingsUpdate {
  avatarImageId?: string | null;
  announcement?: { text: string; at: number; by: string } | null;
  joinApproval?: boolean;
  muteAll?: boolean;
  dissolvedAt?: number;
}

export interface MemberState {
  nickname: string | null;
  mutedUntil: number | null;
}

export interface JoinRequestRecord {
  id: string;
  conversationId: string;
  userId: string;
  inviterId: string | null;
  createdAt: number;
}

export interface TemporaryGroupRecord {
  conversationId: string;
  title: string;
  memberCount: number;
  createdAt: number;
  lastActiveAt: number;
  dissolvedAt: number | null;
}

type SettingsRow = DB['group_settings'];

function defaults(conversationId: string): GroupSettings {
  return {
    conversationId,
    avatarImageId: null,
    announcement: null,
    joinApproval: false,
    muteAll: false,
    temporary: false,
    dissolvedAt: null,
    codeVersion: 1,
  };
}

/** SQL over the group tables: settings, per-member state, join requests, temporary groups. */
export class GroupsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  async insertSettings(
    trx: Kysely<DB>,
    conversationId: string,
    temporary: boolean,
    now: number,
  ): Promise<void> {
    await trx
      .insertInto('group_settings')
      .values({
        conversation_id: conversationId,
        avatar_image_id: null,
        announcement_enc: null,
        announcement_at: null,
        announcement_by: null,
        join_approval: 0,
        mute_all: 0,
        temporary: temporary ? 1 : 0,
        dissolved_at: null,
        code_version: 1,
        updated_at: now,
      })
      .execute();
  }

  async settings(conversationId: string, db: Kysely<DB> = this.db): Promise<GroupSettings> {
    return (await this.settingsOf([conversationId], db)).get(conversationId) ?? defaults(conversationId);
  }

  /** Settings of several groups; ids without a row get the defaults. */
  async settingsOf(ids: readonly string[], db: Kysely<DB> = this.db): Promise<Map<string, GroupSettings>> {
    const out = new Map<string, GroupSettings>();
    for (const id of ids) out.set(id, defaults(id));
    for (const part of chunks([...ids], 500)) {
      const rows = await db
        .selectFrom('group_settings')
        .selectAll()
        .where('conversation_id', 'in', part)
        .execute();
      for (const r of rows) out.set(r.conversation_id, this.toSettings(r));
    }
    return out;
  }

  /** Apply a change (creating the row for an older group); bumps nothing else. */
  async update(
    conversationId: string,
    patch: SettingsUpdate,
    now: number,
    db: Kysely<DB> = this.db,
  ): Promise<void> {
    const set: Partial<SettingsRow> = { updated_at: now };
    if (patch.avatarImageId !== undefined) set.avatar_image_id = patch.avatarImageId;
    if (patch.announcement !== undefined) {
      const a = patch.announcement;
      set.announcement_enc = a ? this.keyring.seal(a.text, ANNOUNCEMENT_CONTEXT) : null;
      set.announcement_at = a ? a.at : null;
      set.announcement_by = a ? a.by : null;
    }
    if (patch.joinApproval !== undefined) set.join_approval = patch.joinApproval ? 1 : 0;
    if (patch.muteAll !== undefined) set.mute_all = patch.muteAll ? 1 : 0;
    if (patch.dissolvedAt !== undefined) set.dissolved_at = patch.dissolvedAt;
    await this.ensureRow(db, conversationId, now);
    await db.updateTable('group_settings').set(set).where('conversation_id', '=', conversationId).execute();
  }

  /** Who may send in a group now: dissolved, mute-all, the privileged, muted members. */
  /**
   * The send rules of each group (`privileged`: its owner and admins, which the caller read with
   * the members): one query per 500 groups for the settings, one for the muted members.
   */
  async sendPolicies(
    groups: ReadonlyArray<{ id: string; privilegedIds: readonly string[] }>,
  ): Promise<Map<string, SendPolicy>> {
    const settled = new Map<string, { dissolved: boolean; muteAll: boolean }>();
    const mutedUntil = new Map<string, Map<string, number>>();
    for (const part of chunks(
      groups.map((g) => g.id),
      500,
    )) {
      const settings = await this.db
        .selectFrom('group_settings')
        .select(['conversation_id', 'dissolved_at', 'mute_all'])
        .where('conversation_id', 'in', part)
        .execute();
      for (const r of settings)
        settled.set(r.conversation_id, { dissolved: r.dissolved_at !== null, muteAll: r.mute_all === 1 });
      const muted = await this.db
        .selectFrom('group_member_state')
        .select(['conversation_id', 'user_id', 'muted_until'])
        .where('conversation_id', 'in', part)
        .where('muted_until', 'is not', null)
        .execute();
      for (const r of muted) {
        let users = mutedUntil.get(r.conversation_id);
        if (!users) mutedUntil.set(r.conversation_id, (users = new Map()));
        users.set(r.user_id, Number(r.muted_until));
      }
    }
    return new Map(
      groups.map((g) => [
        g.id,
        {
          dissolved: settled.get(g.id)?.dissolved ?? false,
          muteAll: settled.get(g.id)?.muteAll ?? false,
          privileged: new Set(g.privilegedIds),
          mutedUntil: mutedUntil.get(g.id) ?? new Map<string, number>(),
        },
      ]),
    );
  }

  /** Bump the code version; returns the new one. */
  async bumpCodeVersion(conversationId: string, now: number): Promise<number> {
    await this.ensureRow(this.db, conversationId, now);
    const row = await this.db
      .updateTable('group_settings')
      .set((eb) => ({ code_version: eb('code_version', '+', 1), updated_at: now }))
      .where('conversation_id', '=', conversationId)
      .returning('code_version')
      .executeTakeFirstOrThrow();
    return Number(row.code_version);
  }

  /** Group nickname and mute of each member who has one. */
  async memberStates(conversationId: string, db: Kysely<DB> = this.db): Promise<Map<string, MemberState>> {
    const rows = await db
      .selectFrom('group_member_state')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .execute();
    return new Map(
      rows.map((r) => [
        r.user_id,
        {
          nickname: r.nickname_enc === null ? null : this.keyring.open(r.nickname_enc, NICKNAME_CONTEXT),
          mutedUntil: r.muted_until === null ? null : Number(r.muted_until),
        },
      ]),
    );
  }

  /** Until when one user is muted in each of some groups. */
  async mutedUntilOf(userId: string, ids: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks([...ids], 500)) {
      const rows = await this.db
        .selectFrom('group_member_state')
        .select(['conversation_id', 'muted_until'])
        .where('user_id', '=', userId)
        .where('conversation_id', 'in', part)
        .where('muted_until', 'is not', null)
        .execute();
      for (const r of rows) out.set(r.conversation_id, Number(r.muted_until));
    }
    return out;
  }

  async setNickname(conversationId: string, userId: string, nickname: string | null): Promise<void> {
    const sealed = nickname === null ? null : this.keyring.seal(nickname, NICKNAME_CONTEXT);
    await this.db
      .insertInto('group_member_state')
      .values({ conversation_id: conversationId, user_id: userId, nickname_enc: sealed, muted_until: null })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ nickname_enc: sealed }))
      .execute();
  }

  async setMutedUntil(conversationId: string, userId: string, until: number | null): Promise<void> {
    await this.db
      .insertInto('group_member_state')
      .values({ conversation_id: conversationId, user_id: userId, nickname_enc: null, muted_until: until })
      .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ muted_until: until }))
      .execute();
  }

  /** Add join requests, skipping users who already wait; returns the user ids newly waiting. */
  async addRequests(rows: readonly JoinRequestRecord[]): Promise<string[]> {
    const added: string[] = [];
    for (const part of chunks([...rows], 200)) {
      const res = await this.db
        .insertInto('group_join_requests')
        .values(
          part.map((r) => ({
            id: r.id,
            conversation_id: r.conversationId,
            user_id: r.userId,
            inviter_id: r.inviterId,
            created_at: r.createdAt,
          })),
        )
        .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
        .returning('user_id')
        .execute();
      added.push(...res.map((r) => r.user_id));
    }
    return added;
  }

  async requests(conversationId: string): Promise<JoinRequestRecord[]> {
    const rows = await this.db
      .selectFrom('group_join_requests')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      userId: r.user_id,
      inviterId: r.inviter_id,
      createdAt: Number(r.created_at),
    }));
  }

  /** Delete a request; returns it, or null when it was not there (handled already). */
  async takeRequest(trx: Kysely<DB>, conversationId: string, id: string): Promise<JoinRequestRecord | null> {
    const r = await trx
      .deleteFrom('group_join_requests')
      .where('conversation_id', '=', conversationId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!r) return null;
    return {
      id: r.id,
      conversationId: r.conversation_id,
      userId: r.user_id,
      inviterId: r.inviter_id,
      createdAt: Number(r.created_at),
    };
  }

  /** Requests of users who are in now (joined another way) are moot. */
  async dropRequestsOf(trx: Kysely<DB>, conversationId: string, userIds: readonly string[]): Promise<void> {
    for (const part of chunks([...userIds], 500))
      await trx
        .deleteFrom('group_join_requests')
        .where('conversation_id', '=', conversationId)
        .where('user_id', 'in', part)
        .execute();
  }

  /** Every temporary group, newest first; last activity is the conversation's update time. */
  async temporaryGroups(opts: { liveOnly?: boolean } = {}): Promise<TemporaryGroupRecord[]> {
    const rows = await this.db
      .selectFrom('group_settings as g')
      .innerJoin('conversations as c', 'c.id', 'g.conversation_id')
      .select(['c.id', 'c.title', 'c.member_count', 'c.created_at', 'c.updated_at', 'g.dissolved_at'])
      .where('g.temporary', '=', 1)
      .$if(opts.liveOnly === true, (qb) => qb.where('g.dissolved_at', 'is', null))
      .orderBy('c.created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      conversationId: r.id,
      title: r.title,
      memberCount: Number(r.member_count),
      createdAt: Number(r.created_at),
      lastActiveAt: Number(r.updated_at),
      dissolvedAt: r.dissolved_at === null ? null : Number(r.dissolved_at),
    }));
  }

  private async ensureRow(db: Kysely<DB>, conversationId: string, now: number): Promise<void> {
    await db
      .insertInto('group_settings')
      .values({
        conversation_id: conversationId,
        avatar_image_id: null,
        announcement_enc: null,
        announcement_at: null,
        announcement_by: null,
        join_approval: 0,
        mute_all: 0,
        temporary: 0,
        dissolved_at: null,
        code_version: 1,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('conversation_id').doNothing())
      .execute();
  }

  private toSettings(r: SettingsRow): GroupSettings {
    return {
      conversationId: r.conversation_id,
      avatarImageId: r.avatar_image_id,
      announcement:
        r.announcement_enc !== null && r.announcement_at !== null && r.announcement_by !== null
          ? {
              text: this.keyring.open(r.announcement_enc, ANNOUNCEMENT_CONTEXT),
              updatedAt: Number(r.announcement_at),
              byUserId: r.announcement_by,
            }
          : null,
      joinApproval: r.join_approval === 1,
      muteAll: r.mute_all === 1,
      temporary: r.temporary === 1,
      dissolvedAt: r.dissolved_at === null ? null : Number(r.dissolved_at),
      codeVersion: Number(r.code_version),
    };
  }
}
