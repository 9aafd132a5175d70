import type {
  ForwardMessageBody,
  Message,
  MessageContent,
  SendMessageBody,
  SystemContent,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  emitToConversation,
  type Caller,
  type ConversationsService,
  type Membership,
} from '../conversations/index.ts';
import { carriesFile, type CheckedFile, type MessageAttachments, type SendOrigin } from './attachments.ts';
import { CommitBatcher, type CommitStats, type Outcome } from './commit-batcher.ts';
import {
  checkTextBytes,
  previewOf,
  requestHash,
  type MessageCodec,
  type MessageExtra,
} from './messages.codec.ts';
import { normalizeMentions } from './mentions.ts';
import type { MessagesRepo } from './messages.repo.ts';
import { SendCommit } from './send.commit.ts';
import type { FileEvidence, PendingSend, SendResult } from './pending-send.ts';

/** Asked before a direct message: whether the recipient blocked the sender (the friends module answers). */
export interface BlockCheck {
  isBlocked(recipientId: string, senderId: string): Promise<boolean>;
}

/** Dissolved groups and muted members (one member, or all but the owner and admins) may not send. */
function refuseIfMuted(caller: Caller, membership: Membership): void {
  const block = membership.sendBlock(caller.userId, Date.now());
  if (block) throw new AppError(block);
}

/** Quoting or forwarding a tampered message would pass its forged facts on as the server's. */
function refuseIfTampered(message: Message, reason: string): void {
  if (message.integrity === 'tampered') throw new AppError('CONFLICT', { reason });
}

/**
 * The send path: validate → authorize (cached membership) → enqueue into the group commit → one
 * commit per batch assigns contiguous seqs and inserts every message (SendCommit) → ack → publish.
 */
export class MessageSender {
  private readonly batcher: CommitBatcher<PendingSend, SendResult>;
  private readonly committer: SendCommit;

  constructor(
    private readonly platform: Platform,
    private readonly conversations: ConversationsService,
    private readonly repo: MessagesRepo,
    private readonly codec: MessageCodec,
    private readonly events: EventSink,
    private readonly blocks?: BlockCheck,
    private readonly attachments?: MessageAttachments,
  ) {
    this.committer = new SendCommit(platform, conversations, repo, codec, attachments);
    this.batcher = new CommitBatcher<PendingSend, SendResult>({
      maxBatch: platform.config.messages.maxBatch,
      commit: (items) => this.committer.commit(items),
      afterSettle: (items, outcomes) => this.publish(items, outcomes),
      onError: (err) => platform.log.error({ err }, 'publishing committed messages failed'),
      closedError: () => new AppError('UNAVAILABLE', { reason: 'shutting down' }),
    });
  }

  get stats(): Readonly<CommitStats> {
    return this.batcher.stats;
  }

  /** Another process delivered a message of the conversation at `seq` (EmitOptions.seqHint). */
  noteSeq(conversationId: string, seq: number): void {
    this.committer.noteSeq(conversationId, seq);
  }

  async send(caller: Caller, body: SendMessageBody, origin: SendOrigin = {}): Promise<Message> {
    checkTextBytes(body.content);
    const membership = await this.conversations.requireMember(body.conversationId, caller.userId);
    refuseIfMuted(caller, membership);
    await this.refuseIfBlocked(caller, membership);
    const mentions = normalizeMentions(body.mentions, membership);
    let replyTo: Message['replyTo'] = null;
    if (body.replyToSeq !== undefined) {
      const target = await this.repo.get(body.conversationId, body.replyToSeq);
      if (!target)
        throw new AppError(
          'NOT_FOUND',
          { what: 'message', seq: body.replyToSeq },
          'The message replied to does not exist',
        );
      refuseIfTampered(target, 'the message replied to failed its integrity check');
      replyTo = { seq: target.seq, senderId: target.senderId, preview: previewOf(target.content) };
    }
    const hash = requestHash({ op: 'send', ...body, mentions: body.mentions ?? [] });
    // Files: ready and the sender's; stored with the measured facts, not the client's.
    let content: MessageContent = body.content;
    let file: CheckedFile | undefined;
    if (this.attachments && carriesFile(body.content))
      ({ content, file } = await this.attachments.checkSend(caller, body.conversationId, body.content));
    const extra = { replyTo, forwardedFrom: null };
    return this.enqueue(caller, membership, body.clientId, hash, content, mentions, extra, { origin, file });
  }

  async forward(caller: Caller, body: ForwardMessageBody, origin: SendOrigin = {}): Promise<Message> {
    const membership = await this.conversations.requireMember(body.conversationId, caller.userId);
    refuseIfMuted(caller, membership);
    await this.refuseIfBlocked(caller, membership);
    await this.conversations.requireMember(body.from.conversationId, caller.userId);
    const source = await this.repo.get(body.from.conversationId, body.from.seq);
    if (source) refuseIfTampered(source, 'the message to forward failed its integrity check');
    if (!source?.content || source.content.kind === 'system')
      throw new AppError(
        'NOT_FOUND',
        { what: 'message', ...body.from },
        'The message to forward does not exist',
      );
    // The forward references the same file (no copy), which must still be there.
    const file =
      this.attachments && carriesFile(source.content)
        ? await this.attachments.checkForward(caller, source, source.content)
        : undefined;
    const forwardedFrom = {
      conversationId: source.conversationId,
      seq: source.seq,
      senderId: source.senderId,
    };
    const hash = requestHash({ op: 'forward', ...body });
    return this.enqueue(
      caller,
      membership,
      body.clientId,
      hash,
      source.content,
      [],
      { replyTo: null, forwardedFrom },
      { origin, file },
    );
  }

  /** BLOCKED when this is a direct conversation and the other member blocked me. */
  private async refuseIfBlocked(caller: Caller, membership: Membership): Promise<void> {
    if (!this.blocks || membership.kind !== 'direct') return;
    const peer = membership.memberIds.find((id) => id !== caller.userId);
    if (peer !== undefined && (await this.blocks.isBlocked(peer, caller.userId))) {
      throw new AppError('BLOCKED');
    }
  }

  /** A server-written system message (group announcements, dissolution): no member checks. */
  async postSystem(
    conversationId: string,
    actorId: string,
    content: SystemContent,
    mentions: Message['mentions'],
  ): Promise<void> {
    const membership = await this.conversations.membership(conversationId);
    if (!membership) throw AppError.notFound('conversation');
    const clientId = `sys-${newId()}`;
    const caller = { userId: actorId, sessionId: '' };
    const hash = requestHash({ op: 'system', conversationId, clientId, content });
    await this.enqueue(caller, membership, clientId, hash, content, mentions, {
      replyTo: null,
      forwardedFrom: null,
    });
  }

  /** Commit everything pending, then refuse new sends. */
  close(): Promise<void> {
    return this.batcher.close();
  }

  private async enqueue(
    caller: Caller,
    membership: Membership,
    clientId: string,
    clientHash: string,
    content: MessageContent | SystemContent,
    mentions: Message['mentions'],
    extra: MessageExtra,
    evidence?: FileEvidence,
  ): Promise<Message> {
    const pending: PendingSend = {
      caller,
      membership,
      id: newId(),
      clientId,
      clientHash,
      content,
      contentSealed: this.codec.sealContent(content),
      mentions,
      extra,
      extraSealed: this.codec.sealExtra(extra),
      ...(evidence ? { evidence } : {}),
    };
    const { message, created } = await this.batcher.enqueue(pending);
    // Evidence of a file's send or forward (R-T2), once, before the ack. On SQLite it was written in
    // the message's own transaction (commitIn); otherwise now, and the message stands if it fails.
    if (
      created &&
      evidence?.file &&
      this.attachments &&
      !this.attachments.evidenceInTransaction &&
      carriesFile(message.content)
    ) {
      await this.attachments
        .sent(caller, message, membership, evidence.origin, evidence.file)
        .catch((err: unknown) => this.platform.log.error({ err }, 'file evidence of a message failed'));
    }
    return message;
  }

  /** After the acks: count, and push each new message to every member's devices but the sender's. */
  private publish(items: readonly PendingSend[], outcomes: ReadonlyArray<Outcome<SendResult>>): void {
    let created = 0;
    items.forEach((item, i) => {
      const o = outcomes[i];
      if (!o?.ok || !o.value.created) return;
      created++;
      const { message } = o.value;
      emitToConversation(this.events, item.membership, 'message.created.v1', message, {
        exceptSessionId: item.caller.sessionId,
        seqHint: { conversationId: message.conversationId, seq: message.seq },
      });
    });
    if (created > 0) this.platform.metrics.messagesPersisted.inc(created);
  }
}
