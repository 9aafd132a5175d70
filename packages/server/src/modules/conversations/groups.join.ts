import type { GroupCode, GroupPreview, JoinRequestList, JoinResult, MemberList } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { CodeSigner } from '../../platform/crypto/signed-codes.ts';
import { newId } from '../../platform/ids.ts';
import { emitFrom, memberListOf, viewOf, type ConversationsContext } from './conversations.context.ts';
import type { Caller } from './conversations.types.ts';
import {
  ANYONE,
  MANAGERS,
  admitMembers,
  groupChanged,
  managersOf,
  postSystem,
  requireGroupRole,
} from './groups.access.ts';

const DAY_MS = 86_400_000;

/** Join requests and the group code (QR): show, refresh, preview, join. */
export class GroupJoins {
  constructor(
    private readonly ctx: ConversationsContext,
    private readonly codes: CodeSigner,
    private readonly codeValidityDays: number,
  ) {}

  async requests(caller: Caller, conversationId: string): Promise<JoinRequestList> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    return { requests: await this.ctx.groups.requests(conversationId) };
  }

  /** Owner or admin: the requester becomes a member (the 1,000 cap holds). */
  async approve(caller: Caller, conversationId: string, requestId: string): Promise<MemberList> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    const request = (await this.ctx.groups.requests(conversationId)).find((r) => r.id === requestId);
    if (!request) throw AppError.notFound('join request');
    // Admitting drops the request in the same transaction.
    const added = await admitMembers(this.ctx, conversationId, [request.userId]);
    await this.afterJoin(caller, conversationId, added, caller.userId);
    // The other admins' request lists drop it.
    emitFrom(this.ctx, caller, await managersOf(this.ctx, conversationId), 'conversation.changed.v1', {
      conversationId,
      reason: 'joinRequests',
    });
    return { members: await memberListOf(this.ctx, conversationId) };
  }

  async decline(caller: Caller, conversationId: string, requestId: string): Promise<void> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    const taken = await this.ctx.groups.takeRequest(this.ctx.db, conversationId, requestId);
    if (!taken) throw AppError.notFound('join request');
    emitFrom(this.ctx, caller, await managersOf(this.ctx, conversationId), 'conversation.changed.v1', {
      conversationId,
      reason: 'joinRequests',
    });
  }

  /** Any member: a code of the current version, valid for `groups.codeValidityDays`. */
  async code(caller: Caller, conversationId: string): Promise<GroupCode> {
    const { settings } = await requireGroupRole(this.ctx, caller, conversationId, ANYONE);
    return this.sign(conversationId, settings.codeVersion);
  }

  /** Owner or admin: a new version, so every code shown before stops working. */
  async refreshCode(caller: Caller, conversationId: string): Promise<GroupCode> {
    await requireGroupRole(this.ctx, caller, conversationId, MANAGERS);
    const version = await this.ctx.groups.bumpCodeVersion(conversationId, this.ctx.now());
    return this.sign(conversationId, version);
  }

  async preview(caller: Caller, code: string): Promise<GroupPreview> {
    const { conversation, settings } = await this.resolve(code);
    const member = (await this.ctx.members.get(conversation.id, caller.userId)) !== null;
    return {
      conversationId: conversation.id,
      title: conversation.title,
      avatarImageId: settings.avatarImageId,
      memberCount: conversation.memberCount,
      joinApproval: settings.joinApproval,
      member,
    };
  }

  /** Join, or (approval required) ask to; a member already in just gets the group. */
  async joinByCode(caller: Caller, code: string): Promise<JoinResult> {
    const { conversation, settings } = await this.resolve(code);
    const id = conversation.id;
    if (await this.ctx.members.get(id, caller.userId))
      return { status: 'joined', conversation: await viewOf(this.ctx, caller.userId, id) };
    if (settings.joinApproval) {
      const now = this.ctx.now();
      await this.ctx.groups.addRequests([
        { id: newId(now), conversationId: id, userId: caller.userId, inviterId: null, createdAt: now },
      ]);
      const managers = await managersOf(this.ctx, id);
      if (managers.length > 0)
        this.ctx.events.emit(managers, 'conversation.changed.v1', {
          conversationId: id,
          reason: 'joinRequests',
        });
      return { status: 'requested', conversation: null };
    }
    const added = await admitMembers(this.ctx, id, [caller.userId]);
    await this.afterJoin(caller, id, added, caller.userId);
    return { status: 'joined', conversation: await viewOf(this.ctx, caller.userId, id) };
  }

  private sign(conversationId: string, version: number): GroupCode {
    const expiresAt = this.ctx.now() + this.codeValidityDays * DAY_MS;
    return { code: this.codes.sign({ kind: 'g', subject: conversationId, version, expiresAt }), expiresAt };
  }

  /** A genuine, current code of a live group; CODE_INVALID / CODE_EXPIRED / GROUP_DISSOLVED. */
  private async resolve(code: string) {
    const claims = this.codes.verify(code, 'g');
    const conversation = await this.ctx.conversations.byId(claims.subject);
    if (!conversation || conversation.kind !== 'group') throw new AppError('CODE_INVALID');
    const settings = await this.ctx.groups.settings(conversation.id);
    if (claims.version !== settings.codeVersion) throw new AppError('CODE_INVALID');
    if (settings.dissolvedAt !== null) throw new AppError('GROUP_DISSOLVED');
    return { conversation, settings };
  }

  private async afterJoin(caller: Caller, conversationId: string, added: string[], actorId: string) {
    if (added.length === 0) return;
    await groupChanged(this.ctx, caller, conversationId, 'members');
    await postSystem(this.ctx, conversationId, actorId, { event: 'joined', userIds: added });
  }
}
