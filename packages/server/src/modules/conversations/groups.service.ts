import { MAX_GROUP_MEMBERS, type Conversation, type MemberList } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import { emitFrom, viewOf, type ConversationsContext } from './conversations.context.ts';
import { newMemberRow } from './conversations.rows.ts';
import type { Caller, ConversationRecord, MemberRecord } from './conversations.types.ts';
import { writeTransaction } from './write-transaction.ts';

function groupFull(details: Record<string, number>): AppError {
  return new AppError('GROUP_FULL', { max: MAX_GROUP_MEMBERS, ...details });
}

/** Groups: creation, title, who is in (up to 1,000), who may change it, and ownership hand-over. */
export class GroupsCore {
  constructor(private readonly ctx: ConversationsContext) {}

  async create(caller: Caller, title: string, memberIds: readonly string[]): Promise<Conversation> {
    const me = caller.userId;
    const others = [...new Set(memberIds)].filter((u) => u !== me);
    if (others.length + 1 > MAX_GROUP_MEMBERS) throw groupFull({ requested: others.length + 1 });
    await this.requireUsers(others);
    const now = this.ctx.now();
    const id = newId(now);
    const rows = [
      newMemberRow(id, me, 'owner', now),
      ...others.map((u) => newMemberRow(id, u, 'member', now)),
    ];
    await writeTransaction(this.ctx.db, this.ctx.dialect, (trx) =>
      this.ctx.conversations.insert(
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
      ),
    );
    this.ctx.cache.changed(id);
    emitFrom(this.ctx, caller, [me, ...others], 'conversation.changed.v1', {
      conversationId: id,
      reason: 'created',
    });
    return viewOf(this.ctx, me, id);
  }

  async rename(caller: Caller, conversationId: string, title: string): Promise<Conversation> {
    await this.requireRole(caller, conversationId, ['owner', 'admin']);
    await this.ctx.conversations.setTitle(conversationId, title, this.ctx.now());
    const members = await this.ctx.cache.get(conversationId);
    emitFrom(this.ctx, caller, members?.memberIds ?? [], 'conversation.changed.v1', {
      conversationId,
      reason: 'title',
    });
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  /** Any member may invite; the 1,000 cap is enforced atomically with the insert. */
  async addMembers(caller: Caller, conversationId: string, userIds: readonly string[]): Promise<MemberList> {
    await this.requireRole(caller, conversationId, ['owner', 'admin', 'member']);
    const current = new Set((await this.ctx.members.list(conversationId)).map((m) => m.userId));
    const candidates = [...new Set(userIds)].filter((u) => !current.has(u));
    if (candidates.length > 0) {
      if (current.size + candidates.length > MAX_GROUP_MEMBERS)
        throw groupFull({ current: current.size, adding: candidates.length });
      await this.requireUsers(candidates);
      const now = this.ctx.now();
      const added = await writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
        const conv = await this.ctx.conversations.addToMemberCount(
          trx,
          conversationId,
          candidates.length,
          now,
          MAX_GROUP_MEMBERS,
        );
        if (!conv) throw groupFull({ adding: candidates.length });
        // Newcomers start with nothing unread; history stays readable.
        const rows = candidates.map((u) =>
          newMemberRow(conversationId, u, 'member', now, { readSeq: conv.lastSeq }),
        );
        const inserted = await this.ctx.members.insertMany(trx, rows);
        const raced = candidates.length - inserted.length;
        if (raced > 0) await this.ctx.conversations.addToMemberCount(trx, conversationId, -raced, now);
        return inserted;
      });
      if (added.length > 0) {
        this.ctx.cache.changed(conversationId);
        const everyone = [...current, ...added];
        emitFrom(this.ctx, caller, everyone, 'conversation.changed.v1', {
          conversationId,
          reason: 'members',
        });
      }
    }
    return { members: await this.ctx.members.list(conversationId) };
  }

  /** Owner or admin; the owner cannot be removed, an admin removes only plain members. */
  async removeMembers(
    caller: Caller,
    conversationId: string,
    userIds: readonly string[],
  ): Promise<MemberList> {
    const { conversation, me } = await this.requireRole(caller, conversationId, ['owner', 'admin']);
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
    const remaining = await this.ctx.members.list(conversationId);
    if (removed.length > 0) {
      this.ctx.cache.changed(conversationId);
      this.ctx.events.emit(removed, 'conversation.changed.v1', { conversationId, reason: 'removed' });
      const stay = remaining.map((m) => m.userId);
      emitFrom(this.ctx, caller, stay, 'conversation.changed.v1', { conversationId, reason: 'members' });
    }
    return { members: remaining };
  }

  /** A leaving owner hands the group to the longest-standing member; the last one leaves it empty. */
  async leave(caller: Caller, conversationId: string): Promise<void> {
    const { conversation } = await this.requireRole(caller, conversationId, ['owner', 'admin', 'member']);
    const now = this.ctx.now();
    await writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
      const gone = await this.ctx.members.removeMany(trx, conversationId, [caller.userId]);
      if (gone.length === 0) throw new AppError('NOT_MEMBER');
      await this.ctx.conversations.addToMemberCount(trx, conversationId, -1, now);
      const fresh = await this.ctx.conversations.byId(conversationId, trx);
      if (fresh?.ownerId === caller.userId) {
        const heir = await this.ctx.members.oldest(trx, conversationId);
        await this.ctx.conversations.setOwner(trx, conversationId, heir, now);
        if (heir) await this.ctx.members.setRole(trx, conversationId, heir, 'owner', now);
      }
    });
    this.ctx.cache.changed(conversationId);
    emitFrom(this.ctx, caller, [caller.userId], 'conversation.changed.v1', {
      conversationId,
      reason: 'removed',
    });
    const remaining = await this.ctx.members.list(conversationId);
    const stay = remaining.map((m) => m.userId);
    emitFrom(this.ctx, caller, stay, 'conversation.changed.v1', {
      conversationId: conversation.id,
      reason: 'members',
    });
  }

  /** The group and my member row; NOT_FOUND, BAD_REQUEST (not a group), NOT_MEMBER or FORBIDDEN. */
  private async requireRole(
    caller: Caller,
    conversationId: string,
    roles: ReadonlyArray<MemberRecord['role']>,
  ): Promise<{ conversation: ConversationRecord; me: MemberRecord }> {
    const conversation = await this.ctx.conversations.byId(conversationId);
    if (!conversation) throw AppError.notFound('conversation');
    if (conversation.kind !== 'group') throw new AppError('BAD_REQUEST', { reason: 'not a group' });
    const me = await this.ctx.members.get(conversationId, caller.userId);
    if (!me) throw new AppError('NOT_MEMBER');
    if (!roles.includes(me.role)) throw AppError.forbidden(`only ${roles.join(' or ')} may do this`);
    return { conversation, me };
  }

  private async requireUsers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.ctx.users.existing(ids);
    const missing = ids.filter((u) => !found.has(u));
    if (missing.length > 0)
      throw new AppError('NOT_FOUND', { what: 'user', userIds: missing }, 'Some users do not exist');
  }
}
