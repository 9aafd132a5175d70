import type { Conversation, MemberList } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { ImagesService } from '../images/index.ts';
import { memberListOf, viewOf, type ConversationsContext } from './conversations.context.ts';
import type { Caller } from './conversations.types.ts';
import {
  ANYONE,
  MANAGERS,
  OWNER,
  groupChanged,
  postSystem,
  requireGroupRole,
  requireOtherMember,
} from './groups.access.ts';
import { writeTransaction } from '../../platform/db/index.ts';

/** Roles and settings of a group: admins, ownership, avatar, announcement, approval, mutes, nicknames. */
export class GroupAdmin {
  constructor(
    private readonly ctx: ConversationsContext,
    private readonly images: ImagesService,
  ) {}

  /** Owner only: make a member an admin or a plain member again. */
  async setAdmin(
    caller: Caller,
    conversationId: string,
    userId: string,
    admin: boolean,
  ): Promise<MemberList> {
    await requireGroupRole(this.ctx, caller, conversationId, OWNER);
    const other = await requireOtherMember(this.ctx, conversationId, userId);
    if (other.role === 'owner') throw new AppError('BAD_REQUEST', { reason: 'the owner is not an admin' });
    const role = admin ? 'admin' : 'member';
    if (other.role !== role) {
      await writeTransaction(this.ctx.db, this.ctx.dialect, (trx) =>
        this.ctx.members.setRole(trx, conversationId, userId, role, this.ctx.now()),
      );
      await groupChanged(this.ctx, caller, conversationId, 'group');
    }
    return { members: await memberListOf(this.ctx, conversationId) };
  }

  /** Owner only: the new owner must be a member; the old owner becomes an admin. */
  async transferOwnership(caller: Caller, conversationId: string, userId: string): Promise<Conversation> {
    await requireGroupRole(this.ctx, caller, conversationId, OWNER);
    if (userId === caller.userId) throw new AppError('BAD_REQUEST', { reason: 'already the owner' });
    await requireOtherMember(this.ctx, conversationId, userId);
    const now = this.ctx.now();
    await writeTransaction(this.ctx.db, this.ctx.dialect, async (trx) => {
      await this.ctx.members.setRole(trx, conversationId, caller.userId, 'admin', now);
      await this.ctx.members.setRole(trx, conversationId, userId, 'owner', now);
      await this.ctx.conversations.setOwner(trx, conversationId, userId, now);
    });
    await groupChanged(this.ctx, caller, conversationId, 'group');
    await postSystem(this.ctx, conversationId, caller.userId, {
      event: 'ownerTransferred',
      userIds: [userId],
    });
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  /** Owner or admin; the image must exist (IMAGE_NOT_FOUND otherwise, nothing changed). */
  async setAvatar(caller: Caller, conversationId: string, imageId: string | null): Promise<Conversation> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    if (imageId !== null) await this.images.requireExisting([imageId]);
    await this.ctx.groups.update(conversationId, { avatarImageId: imageId }, this.ctx.now());
    await this.touchAndTell(caller, conversationId);
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  /** Owner or admin: shown at the top of the group and posted as a system message to all. */
  async setAnnouncement(caller: Caller, conversationId: string, text: string): Promise<Conversation> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    const trimmed = text.trim();
    const now = this.ctx.now();
    await this.ctx.groups.update(
      conversationId,
      { announcement: trimmed === '' ? null : { text: trimmed, at: now, by: caller.userId } },
      now,
    );
    await this.touchAndTell(caller, conversationId);
    if (trimmed !== '')
      await postSystem(this.ctx, conversationId, caller.userId, { event: 'announcement', text: trimmed }, [
        'all',
      ]);
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  async setJoinApproval(caller: Caller, conversationId: string, required: boolean): Promise<Conversation> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    await this.ctx.groups.update(conversationId, { joinApproval: required }, this.ctx.now());
    await this.touchAndTell(caller, conversationId);
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  /** Owner or admin: while on, only the owner and admins may send. */
  async muteAll(caller: Caller, conversationId: string, on: boolean): Promise<Conversation> {
    const { settings } = await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    await this.ctx.groups.update(conversationId, { muteAll: on }, this.ctx.now());
    await this.touchAndTell(caller, conversationId);
    if (settings.muteAll !== on)
      await postSystem(this.ctx, conversationId, caller.userId, { event: on ? 'muteAll' : 'unmuteAll' });
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  /** Owner or admin; admins mute only plain members, nobody mutes the owner. */
  async muteMember(
    caller: Caller,
    conversationId: string,
    userId: string,
    untilMs: number | null,
  ): Promise<MemberList> {
    const { me } = await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    const other = await requireOtherMember(this.ctx, conversationId, userId);
    if (other.role === 'owner' || (other.role === 'admin' && me.role !== 'owner') || userId === caller.userId)
      throw AppError.forbidden('you may not mute this member');
    if (untilMs !== null && untilMs <= this.ctx.now())
      throw new AppError('BAD_REQUEST', { reason: 'untilMs must be in the future' });
    await this.ctx.groups.setMutedUntil(conversationId, userId, untilMs);
    await this.touchAndTell(caller, conversationId);
    return { members: await memberListOf(this.ctx, conversationId) };
  }

  /** Any member: my nickname in this group (empty clears it). */
  async setMyNickname(caller: Caller, conversationId: string, nickname: string): Promise<MemberList> {
    await requireGroupRole(this.ctx, caller, conversationId, ANYONE);
    const trimmed = nickname.trim();
    await this.ctx.groups.setNickname(conversationId, caller.userId, trimmed === '' ? null : trimmed);
    await this.touchAndTell(caller, conversationId);
    return { members: await memberListOf(this.ctx, conversationId) };
  }

  /** Bump the conversation (so `conversations.list({since})` picks the change up) and tell members. */
  private async touchAndTell(caller: Caller, conversationId: string): Promise<void> {
    await this.ctx.conversations.touch(conversationId, this.ctx.now());
    await groupChanged(this.ctx, caller, conversationId, 'group');
  }
}
