import { MAX_GROUP_MEMBERS, type Conversation, type MemberList } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import { emitFrom, memberListOf, viewOf, type ConversationsContext } from './conversations.context.ts';
import { newMemberRow } from './conversations.rows.ts';
import type { Caller } from './conversations.types.ts';
import {
  ANYONE,
  MANAGERS,
  admitMembers,
  groupFull,
  groupChanged,
  managersOf,
  requireGroupRole,
  requireUsers,
} from './groups.access.ts';
import { writeTransaction } from '../../platform/db/index.ts';

/** Groups: creation, title, who is in (up to 1,000), invitations and leaving. */
export class GroupsCore {
  constructor(private readonly ctx: ConversationsContext) {}

  async create(
    caller: Caller,
    title: string,
    memberIds: readonly string[],
    opts: { temporary?: boolean } = {},
  ): Promise<Conversation> {
    const me = caller.userId;
    const others = [...new Set(memberIds)].filter((u) => u !== me);
    if (others.length + 1 > MAX_GROUP_MEMBERS) throw groupFull({ requested: others.length + 1 });
    await requireUsers(this.ctx, others);
    const now = this.ctx.now();
    const id = newId(now);
    const rows = [
      newMemberRow(id, me, 'owner', now),
      ...others.map((u) => newMemberRow(id, u, 'member', now)),
    ];
    await writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
      await this.ctx.conversations.insert(
        trx,
        {
          id,
          kind: 'group',
          title,
          direct_key: null,
          owner_id: me,
          last_seq: 0,
          member_count: rows.length,
          created_at: now,
          updated_at: now,
        },
        rows,
      );
      await this.ctx.groups.insertSettings(trx, id, opts.temporary === true, now);
    });
    this.ctx.cache.changed(id);
    emitFrom(this.ctx, caller, [me, ...others], 'conversation.changed.v1', {
      conversationId: id,
      reason: 'created',
    });
    return viewOf(this.ctx, me, id);
  }

  async rename(caller: Caller, conversationId: string, title: string): Promise<Conversation> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    await this.ctx.conversations.setTitle(conversationId, title, this.ctx.now());
    await groupChanged(this.ctx, caller, conversationId, 'title');
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  /**
   * Any member may invite. With join approval on, a plain member's invitation makes join requests
   * for the owner and admins instead (returned as `requested`). The 1,000 cap is atomic.
   */
  async addMembers(caller: Caller, conversationId: string, userIds: readonly string[]): Promise<MemberList> {
    const { me, settings } = await requireGroupRole(this.ctx, caller, conversationId, ANYONE);
    const current = new Set((await this.ctx.members.list(conversationId)).map((m) => m.userId));
    const candidates = [...new Set(userIds)].filter((u) => !current.has(u));
    if (candidates.length === 0) return { members: await memberListOf(this.ctx, conversationId) };
    if (current.size + candidates.length > MAX_GROUP_MEMBERS)
      throw groupFull({ current: current.size, adding: candidates.length });
    await requireUsers(this.ctx, candidates);
    if (settings.joinApproval && me.role === 'member') {
      const now = this.ctx.now();
      const requested = await this.ctx.groups.addRequests(
        candidates.map((userId) => ({
          id: newId(now),
          conversationId,
          userId,
          inviterId: caller.userId,
          createdAt: now,
        })),
      );
      if (requested.length > 0)
        emitFrom(this.ctx, caller, await managersOf(this.ctx, conversationId), 'conversation.changed.v1', {
          conversationId,
          reason: 'joinRequests',
        });
      return { members: await memberListOf(this.ctx, conversationId), requested };
    }
    const added = await admitMembers(this.ctx, conversationId, candidates);
    if (added.length > 0) {
      emitFrom(this.ctx, caller, [...current, ...added], 'conversation.changed.v1', {
        conversationId,
        reason: 'members',
      });
    }
    return { members: await memberListOf(this.ctx, conversationId) };
  }

  /** Owner or admin; the owner cannot be removed, an admin removes only plain members. */
  async removeMembers(
    caller: Caller,
    conversationId: string,
    userIds: readonly string[],
  ): Promise<MemberList> {
    const { conversation, me } = await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    if (userIds.includes(caller.userId))
      throw new AppError('BAD_REQUEST', { reason: 'use groups.leave to leave a group' });
    if (conversation.ownerId !== null && userIds.includes(conversation.ownerId))
      throw AppError.forbidden('the owner cannot be removed');
    const current = await this.ctx.members.list(conversationId);
    if (me.role === 'admin' && current.some((m) => m.role !== 'member' && userIds.includes(m.userId))) {
      throw AppError.forbidden('an admin may remove only members');
    }
    const now = this.ctx.now();
    const removed = await writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
      const gone = await this.ctx.members.removeMany(trx, conversationId, userIds);
      if (gone.length > 0)
        await this.ctx.conversations.addToMemberCount(trx, conversationId, -gone.length, now);
      return gone;
    });
    const remaining = await memberListOf(this.ctx, conversationId);
    if (removed.length > 0) {
      this.ctx.cache.changed(conversationId);
      this.ctx.events.emit(removed, 'conversation.changed.v1', { conversationId, reason: 'removed' });
      const stay = remaining.map((m) => m.userId);
      emitFrom(this.ctx, caller, stay, 'conversation.changed.v1', { conversationId, reason: 'members' });
    }
    return { members: remaining };
  }

  /**
   * Leave a group. The owner must hand it over first (OWNER_MUST_TRANSFER) unless nobody else is
   * left; anyone may leave a dissolved group (to clear it from their list).
   */
  async leave(caller: Caller, conversationId: string): Promise<void> {
    const { conversation, settings } = await requireGroupRole(this.ctx, caller, conversationId, ANYONE, {
      allowDissolved: true,
    });
    if (
      conversation.ownerId === caller.userId &&
      settings.dissolvedAt === null &&
      conversation.memberCount > 1
    )
      throw new AppError('OWNER_MUST_TRANSFER');
    const now = this.ctx.now();
    await writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
      const gone = await this.ctx.members.removeMany(trx, conversationId, [caller.userId]);
      if (gone.length === 0) throw new AppError('NOT_MEMBER');
      await this.ctx.conversations.addToMemberCount(trx, conversationId, -1, now);
      if (conversation.ownerId === caller.userId)
        await this.ctx.conversations.setOwner(trx, conversationId, null, now);
    });
    this.ctx.cache.changed(conversationId);
    emitFrom(this.ctx, caller, [caller.userId], 'conversation.changed.v1', {
      conversationId,
      reason: 'removed',
    });
    const remaining = await this.ctx.members.list(conversationId);
    emitFrom(
      this.ctx,
      caller,
      remaining.map((m) => m.userId),
      'conversation.changed.v1',
      { conversationId, reason: 'members' },
    );
  }
}
