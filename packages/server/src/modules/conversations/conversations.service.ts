import type {
  Conversation,
  ConversationList,
  MemberList,
  MemberSettings,
  ReadPosition,
  UpdateSettingsBody,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { isUniqueViolation } from '../../platform/db/index.ts';
import { newId } from '../../platform/ids.ts';
import {
  emitFrom,
  memberListOf,
  presentViews,
  requireMember,
  settingsOf,
  viewOf,
  type ConversationsContext,
} from './conversations.context.ts';
import { directKeyOf, newMemberRow, sealDraft, type ConversationRow } from './conversations.rows.ts';
import type { Caller, MemberRecord } from './conversations.types.ts';
import { writeTransaction } from '../../platform/db/index.ts';

/**
 * How far the list cursor trails the server clock. A transaction stamps `updated_at` before it
 * commits; a list taken in between must not skip it, so the next list looks back this far
 * (clients dedupe the overlap). It also absorbs clock skew between nodes.
 */
export const SYNC_OVERLAP_MS = 5_000;

/** The per-user side of conversations: listing, direct chats, settings, drafts, read positions, typing. */
export class ConversationsCore {
  constructor(private readonly ctx: ConversationsContext) {}

  async list(caller: Caller, since?: number): Promise<ConversationList> {
    const now = this.ctx.now();
    const views = await this.ctx.conversations.views(caller.userId, since);
    const conversations = await presentViews(this.ctx, caller.userId, views);
    return { conversations, cursor: Math.max(0, now - SYNC_OVERLAP_MS) };
  }

  get(caller: Caller, conversationId: string): Promise<Conversation> {
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  async openDirect(caller: Caller, peerId: string): Promise<Conversation> {
    const me = caller.userId;
    if (peerId !== me && !(await this.ctx.users.existing([peerId])).has(peerId)) {
      throw new AppError('NOT_FOUND', { what: 'user', userIds: [peerId] }, 'user not found');
    }
    const directKey = directKeyOf(me, peerId);
    const existing = await this.ctx.conversations.byDirectKey(directKey);
    if (existing) return this.reopen(caller, existing.id);
    const now = this.ctx.now();
    const id = newId(now);
    const ids = peerId === me ? [me] : [me, peerId];
    // The peer sees the chat once the first message arrives (a new message un-hides it).
    const rows = ids.map((u) => newMemberRow(id, u, 'member', now, { hidden: u !== me }));
    const conversation: ConversationRow = {
      id,
      kind: 'direct',
      title: '',
      direct_key: directKey,
      owner_id: null,
      last_seq: 0,
      member_count: ids.length,
      created_at: now,
      updated_at: now,
    };
    try {
      await writeTransaction(this.ctx.db, this.ctx.dialect, (trx) =>
        this.ctx.conversations.insert(trx, conversation, rows),
      );
    } catch (err) {
      // Both users opened the chat at once: the other insert won; use its conversation.
      if (!isUniqueViolation(err)) throw err;
      const winner = await this.ctx.conversations.byDirectKey(directKey);
      if (!winner) throw err;
      return this.reopen(caller, winner.id);
    }
    emitFrom(this.ctx, caller, ids, 'conversation.changed.v1', { conversationId: id, reason: 'created' });
    return viewOf(this.ctx, me, id);
  }

  /** An existing direct chat; opening one I had hidden brings it back, on all my devices. */
  private async reopen(caller: Caller, conversationId: string): Promise<Conversation> {
    const mine = await this.ctx.members.get(conversationId, caller.userId);
    if (mine?.hidden) await this.updateSettings(caller, { conversationId, hidden: false });
    return viewOf(this.ctx, caller.userId, conversationId);
  }

  async members(caller: Caller, conversationId: string): Promise<MemberList> {
    const membership = await requireMember(this.ctx, conversationId, caller.userId);
    // A channel's readers are everyone: not a list anyone browses.
    if (membership.kind === 'channel')
      throw new AppError('FORBIDDEN', { reason: 'channel readers are not listed' });
    return { members: await memberListOf(this.ctx, conversationId) };
  }

  async updateSettings(caller: Caller, body: UpdateSettingsBody): Promise<MemberSettings> {
    await requireMember(this.ctx, body.conversationId, caller.userId);
    const { pinned, muted, hidden } = body;
    const row = await this.ctx.members.updateSettings(
      body.conversationId,
      caller.userId,
      { pinned, muted, hidden },
      this.ctx.now(),
    );
    return this.settingsChanged(caller, body.conversationId, row);
  }

  async saveDraft(caller: Caller, conversationId: string, text: string): Promise<MemberSettings> {
    await requireMember(this.ctx, conversationId, caller.userId);
    const sealed = text === '' ? null : sealDraft(this.ctx.keyring, text);
    const row = await this.ctx.members.setDraft(conversationId, caller.userId, sealed, this.ctx.now());
    return this.settingsChanged(caller, conversationId, row);
  }

  async markRead(caller: Caller, conversationId: string, seq: number): Promise<ReadPosition> {
    const membership = await requireMember(this.ctx, conversationId, caller.userId);
    const conv = await this.ctx.conversations.byId(conversationId);
    // Never past the last message: a later message must still count as unread.
    const target = Math.min(seq, conv?.lastSeq ?? 0);
    if (await this.ctx.members.advanceRead(conversationId, caller.userId, target, this.ctx.now())) {
      const body = { conversationId, userId: caller.userId, readSeq: target };
      // In a channel a read position is the reader's own business: only their other devices hear it.
      const to = membership.kind === 'channel' ? [caller.userId] : membership.memberIds;
      emitFrom(this.ctx, caller, to, 'conversation.read.v1', body);
      return { conversationId, readSeq: target };
    }
    const mine = await this.ctx.members.get(conversationId, caller.userId);
    return { conversationId, readSeq: mine?.readSeq ?? 0 };
  }

  async typing(caller: Caller, conversationId: string, typing: boolean): Promise<void> {
    const membership = await requireMember(this.ctx, conversationId, caller.userId);
    // Nobody watches a channel's readers type.
    if (membership.kind === 'channel') return;
    const others = membership.memberIds.filter((u) => u !== caller.userId);
    emitFrom(this.ctx, caller, others, 'typing.v1', { conversationId, userId: caller.userId, typing });
  }

  private settingsChanged(caller: Caller, conversationId: string, row: MemberRecord | null): MemberSettings {
    // The cache said member but the row is gone: removed in the meantime.
    if (!row) throw new AppError('NOT_MEMBER', { conversationId });
    const settings = settingsOf(row);
    emitFrom(this.ctx, caller, [caller.userId], 'member.settings.v1', settings);
    return settings;
  }
}
