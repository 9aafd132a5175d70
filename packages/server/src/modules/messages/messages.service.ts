import type {
  EditMessageBody,
  HistoryQuery,
  Message,
  MessageChangesQuery,
  MessageList,
  ReactBody,
  Readers,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  emitToConversation,
  writeTransaction,
  type Caller,
  type ConversationsService,
  type Membership,
} from '../conversations/index.ts';
import { carriesFile, type MessageAttachments } from './attachments.ts';
import { checkTextBytes, type MessageCodec } from './messages.codec.ts';
import type { MessagesRepo } from './messages.repo.ts';
import { normalizeMentions } from './mentions.ts';

const DEFAULT_PAGE = 50;
const DEFAULT_CHANGES = 100;

/**
 * A dissolved group's history is read-only: nothing in it is edited, recalled or reacted to. With
 * `mutedToo`, a muted member is refused as well: rewriting a message is a way of saying something new.
 */
function refuseIfFrozen(caller: Caller, membership: Membership, opts: { mutedToo: boolean }): void {
  const block = membership.sendBlock(caller.userId, Date.now());
  if (
    block === 'GROUP_DISSOLVED' ||
    block === 'CHANNEL_READ_ONLY' ||
    (block === 'MEMBER_MUTED' && opts.mutedToo)
  )
    throw new AppError(block);
}

/** Reading and changing sent messages: history, changes, edit, recall, reactions, read receipts. */
export class MessageOps {
  constructor(
    private readonly platform: Platform,
    private readonly conversations: ConversationsService,
    private readonly repo: MessagesRepo,
    private readonly codec: MessageCodec,
    private readonly events: EventSink,
    /** The recall window in force (runtime system settings); default: the config. */
    private readonly recallWindowSeconds?: () => Promise<number>,
    private readonly attachments?: MessageAttachments,
  ) {}

  async history(caller: Caller, q: HistoryQuery): Promise<MessageList> {
    await this.conversations.requireMember(q.conversationId, caller.userId);
    return this.repo.page(q.conversationId, {
      beforeSeq: q.beforeSeq,
      afterSeq: q.afterSeq,
      limit: q.limit ?? DEFAULT_PAGE,
    });
  }

  async changes(caller: Caller, q: MessageChangesQuery): Promise<MessageList> {
    await this.conversations.requireMember(q.conversationId, caller.userId);
    return this.repo.changes(q.conversationId, q.since, q.limit ?? DEFAULT_CHANGES);
  }

  /** Own text messages that are not recalled; `editedAt` is set and the version goes up. */
  async edit(caller: Caller, body: EditMessageBody): Promise<Message> {
    checkTextBytes(body.content);
    const membership = await this.conversations.requireMember(body.conversationId, caller.userId);
    refuseIfFrozen(caller, membership, { mutedToo: true });
    const mentions = normalizeMentions(body.mentions, membership);
    const now = Date.now();
    const changes = {
      contentSealed: this.codec.sealContent(body.content),
      mentions: JSON.stringify(mentions),
      editedAt: now,
    };
    const updated = await this.repo.change(body.conversationId, body.seq, caller.userId, changes, now, {
      textOnly: true,
    });
    if (!updated) throw await this.whyNot(caller, body.conversationId, body.seq, 'edit');
    return this.updated(caller, membership, updated);
  }

  /** Own messages, within the recall window; the content is gone for everyone. */
  async recall(caller: Caller, ref: { conversationId: string; seq: number }): Promise<Message> {
    const membership = await this.conversations.requireMember(ref.conversationId, caller.userId);
    refuseIfFrozen(caller, membership, { mutedToo: false });
    const message = await this.repo.get(ref.conversationId, ref.seq);
    if (!message) throw AppError.notFound('message');
    if (message.senderId !== caller.userId) throw AppError.forbidden('only the sender may recall a message');
    if (message.recalledAt !== null) return message;
    const windowSeconds = this.recallWindowSeconds
      ? await this.recallWindowSeconds()
      : this.platform.config.messages.recallWindowSeconds;
    const now = Date.now();
    if (now - message.createdAt > windowSeconds * 1000)
      throw new AppError('RECALL_WINDOW_PASSED', { windowSeconds });
    const changes = { contentSealed: null, mentions: '[]', recalledAt: now };
    const updated = await this.repo.change(ref.conversationId, ref.seq, caller.userId, changes, now);
    // Recalled by another request in the meantime: that one told everyone.
    if (!updated) return (await this.repo.get(ref.conversationId, ref.seq)) ?? message;
    // A recalled file message no longer lets the conversation read its file.
    if (this.attachments && carriesFile(message.content))
      await this.attachments.recalled(ref.conversationId, ref.seq);
    return this.updated(caller, membership, updated);
  }

  /** Toggle one emoji of mine on a message; an unchanged state publishes nothing. */
  async react(caller: Caller, body: ReactBody): Promise<Message> {
    const membership = await this.conversations.requireMember(body.conversationId, caller.userId);
    refuseIfFrozen(caller, membership, { mutedToo: false });
    const message = await this.repo.get(body.conversationId, body.seq);
    if (!message) throw AppError.notFound('message');
    if (body.on && message.recalledAt !== null)
      throw new AppError('CONFLICT', { reason: 'the message was recalled' });
    const now = Date.now();
    const ref = { conversationId: body.conversationId, seq: body.seq };
    const changed = await writeTransaction(this.platform.db, this.platform.dialect, (trx) =>
      this.repo.setReaction(trx, ref, caller.userId, body.emoji, body.on, now),
    );
    const current = (await this.repo.get(body.conversationId, body.seq)) ?? message;
    return changed ? this.updated(caller, membership, current) : current;
  }

  /** Read receipts: the members other than the sender who have read up to the message, and the rest. */
  async readers(caller: Caller, ref: { conversationId: string; seq: number }): Promise<Readers> {
    const membership = await this.conversations.requireMember(ref.conversationId, caller.userId);
    if (membership.kind === 'channel')
      throw new AppError('FORBIDDEN', { reason: 'a channel has no read receipts' });
    const message = await this.repo.get(ref.conversationId, ref.seq);
    if (!message) throw AppError.notFound('message');
    const positions = await this.conversations.readPositions(ref.conversationId);
    const readUserIds: string[] = [];
    const unreadUserIds: string[] = [];
    // The member rows, not the cache, are the authority here.
    for (const [userId, readSeq] of positions) {
      if (userId !== message.senderId) (readSeq >= message.seq ? readUserIds : unreadUserIds).push(userId);
    }
    return { readUserIds, unreadUserIds };
  }

  private async updated(caller: Caller, membership: Membership, message: Message): Promise<Message> {
    await this.conversations.markChanged(message.conversationId, message.updatedAt);
    emitToConversation(this.events, membership, 'message.updated.v1', message, {
      exceptSessionId: caller.sessionId,
    });
    return message;
  }

  /** Why an edit matched nothing. */
  private async whyNot(
    caller: Caller,
    conversationId: string,
    seq: number,
    action: string,
  ): Promise<AppError> {
    const message = await this.repo.get(conversationId, seq);
    if (!message) return AppError.notFound('message');
    if (message.senderId !== caller.userId)
      return AppError.forbidden(`only the sender may ${action} a message`);
    if (message.recalledAt !== null) return new AppError('CONFLICT', { reason: 'the message was recalled' });
    return new AppError('BAD_REQUEST', { reason: `only text messages can be ${action}ed` });
  }
}
