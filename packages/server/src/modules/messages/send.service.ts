import type {
  ForwardMessageBody,
  Message,
  MessageContent,
  SendMessageBody,
  SystemContent,
} from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import type { DB } from '../../platform/db/index.ts';
import { isUniqueViolation } from '../../platform/db/index.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { Platform } from '../../platform/platform.ts';
import {
  emitToConversation,
  writeTransaction,
  type Caller,
  type ConversationsService,
  type Membership,
} from '../conversations/index.ts';
import {
  carriesFile,
  type CheckedFile,
  type FileSend,
  type MessageAttachments,
  type SendOrigin,
} from './attachments.ts';
import { CommitBatcher, type CommitStats, type Outcome } from './commit-batcher.ts';
import {
  checkTextBytes,
  previewOf,
  requestHash,
  type MessageCodec,
  type MessageExtra,
  type NewMessageRow,
} from './messages.codec.ts';
import { normalizeMentions } from './mentions.ts';
import type { MessagesRepo, StoredMessage } from './messages.repo.ts';
import { messageOf, rowOf, type FileEvidence, type PendingSend } from './pending-send.ts';

interface SendResult {
  message: Message;
  /** False when this was a retry answered with the original message (no event then). */
  created: boolean;
}

/** Asked before a direct message: whether the recipient blocked the sender (the friends module answers). */
export interface BlockCheck {
  isBlocked(recipientId: string, senderId: string): Promise<boolean>;
}

const keyOf = (senderId: string, clientId: string) => `${senderId}\0${clientId}`;
const clientKey = (item: PendingSend) => ({ senderId: item.caller.userId, clientId: item.clientId });

/** The messages a commit created (not retries answered with a stored message). */
function createdMessages(outcomes: ReadonlyArray<Outcome<SendResult> | undefined>): Message[] {
  return outcomes.flatMap((o) => (o?.ok && o.value.created ? [o.value.message] : []));
}

/** The sends of files among the messages a commit creates, in order, for their evidence records. */
function fileSends(
  items: readonly PendingSend[],
  outcomes: ReadonlyArray<Outcome<SendResult> | undefined>,
): FileSend[] {
  const sends: FileSend[] = [];
  items.forEach((item, i) => {
    const o = outcomes[i];
    const file = item.evidence?.file;
    if (!o?.ok || !o.value.created || !file || !item.evidence || !carriesFile(o.value.message.content))
      return;
    sends.push({
      caller: item.caller,
      message: o.value.message,
      membership: item.membership,
      origin: item.evidence.origin,
      file,
    });
  });
  return sends;
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

function duplicate(clientId: string): AppError {
  return new AppError('DUPLICATE_CLIENT_ID', { clientId });
}

/**
 * The send path: validate → authorize (cached membership) → enqueue into the group commit → one
 * transaction per batch assigns contiguous seqs and inserts every message → ack → publish.
 */
export class MessageSender {
  private readonly batcher: CommitBatcher<PendingSend, SendResult>;

  constructor(
    private readonly platform: Platform,
    private readonly conversations: ConversationsService,
    private readonly repo: MessagesRepo,
    private readonly codec: MessageCodec,
    private readonly events: EventSink,
    private readonly blocks?: BlockCheck,
    private readonly attachments?: MessageAttachments,
  ) {
    this.batcher = new CommitBatcher<PendingSend, SendResult>({
      maxBatch: platform.config.messages.maxBatch,
      commit: (items) => this.commit(items),
      afterSettle: (items, outcomes) => this.publish(items, outcomes),
      onError: (err) => platform.log.error({ err }, 'publishing committed messages failed'),
      closedError: () => new AppError('UNAVAILABLE', { reason: 'shutting down' }),
    });
  }

  get stats(): Readonly<CommitStats> {
    return this.batcher.stats;
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

  private async commit(items: readonly PendingSend[]): Promise<Array<Outcome<SendResult>>> {
    const { db, dialect } = this.platform;
    const attempt = (lookUp: boolean) =>
      writeTransaction(db, dialect, (trx) => this.commitIn(trx, items, lookUp));
    try {
      // Retries are rare: first without looking client ids up. If the insert meets one already
      // stored, the unique index refuses it and the rollback takes back the seqs reserved for the
      // batch; it then goes again, looking every client id up first.
      const outcomes = await attempt(false).catch((err: unknown) => {
        if (!isUniqueViolation(err)) throw err;
        return attempt(true);
      });
      this.platform.metrics.commitBatchSize.observe(outcomes.filter((o) => o.ok && o.value.created).length);
      return outcomes;
    } catch (err) {
      // Another node committed the same client id between our lookup and insert: answer as a retry.
      const only = items[0];
      if (items.length === 1 && only && isUniqueViolation(err)) {
        const found = await this.repo.byClientIds(db, [clientKey(only)]);
        const stored = found.get(keyOf(only.caller.userId, only.clientId));
        if (stored) return [this.asRetry(only, stored)];
      }
      throw err;
    }
  }

  private asRetry(item: PendingSend, stored: StoredMessage): Outcome<SendResult> {
    return stored.clientHash === item.clientHash
      ? { ok: true, value: { message: stored.message, created: false } }
      : { ok: false, error: duplicate(item.clientId) };
  }

  /**
   * One transaction: dedupe client ids in the batch (and, with `lookUp`, against the table), reserve
   * seqs, insert. Without `lookUp` a client id already stored fails the insert (unique violation).
   */
  private async commitIn(
    trx: Kysely<DB>,
    items: readonly PendingSend[],
    lookUp: boolean,
  ): Promise<Array<Outcome<SendResult>>> {
    const outcomes: Array<Outcome<SendResult> | undefined> = new Array(items.length);
    const leaders = new Map<string, number>();
    const followers: Array<[index: number, leader: number]> = [];
    items.forEach((item, i) => {
      const key = keyOf(item.caller.userId, item.clientId);
      const leader = leaders.get(key);
      if (leader === undefined) leaders.set(key, i);
      else followers.push([i, leader]);
    });
    const keys = lookUp ? [...leaders.values()].map((i) => clientKey(items[i]!)) : [];
    const stored =
      keys.length > 0 ? await this.repo.byClientIds(trx, keys) : new Map<string, StoredMessage>();
    const fresh: number[] = [];
    const counts = new Map<string, number>();
    for (const [key, i] of leaders) {
      const item = items[i]!;
      const prior = stored.get(key);
      if (prior) outcomes[i] = this.asRetry(item, prior);
      else {
        fresh.push(i);
        counts.set(item.membership.conversationId, (counts.get(item.membership.conversationId) ?? 0) + 1);
      }
    }
    const now = Date.now();
    const rows: NewMessageRow[] = [];
    if (fresh.length > 0) {
      const last = await this.conversations.reserveSeqs(trx, counts, now);
      const next = new Map<string, number>();
      for (const [conversationId, count] of counts) {
        const top = last.get(conversationId);
        if (top !== undefined) next.set(conversationId, top - count + 1);
      }
      for (const i of fresh.sort((a, b) => a - b)) {
        const item = items[i]!;
        const seq = next.get(item.membership.conversationId);
        if (seq === undefined) {
          outcomes[i] = { ok: false, error: AppError.notFound('conversation') };
          continue;
        }
        next.set(item.membership.conversationId, seq + 1);
        rows.push(rowOf(item, seq, now));
        outcomes[i] = { ok: true, value: { message: messageOf(item, seq, now), created: true } };
      }
      await this.repo.insertMany(trx, rows);
      if (this.attachments) {
        await this.attachments.recordIn(trx, createdMessages(outcomes));
        if (this.attachments.evidenceInTransaction)
          await this.attachments.sentIn(trx, fileSends(items, outcomes));
      }
    }
    for (const [i, leader] of followers) {
      const lead = outcomes[leader];
      if (items[i]!.clientHash !== items[leader]!.clientHash)
        outcomes[i] = { ok: false, error: duplicate(items[i]!.clientId) };
      else if (lead?.ok) outcomes[i] = { ok: true, value: { message: lead.value.message, created: false } };
      else outcomes[i] = lead;
    }
    return outcomes.map((o) => o ?? { ok: false, error: new Error('send without outcome') });
  }

  /** After the acks: count, and push each new message to every member's devices but the sender's. */
  private publish(items: readonly PendingSend[], outcomes: ReadonlyArray<Outcome<SendResult>>): void {
    let created = 0;
    items.forEach((item, i) => {
      const o = outcomes[i];
      if (!o?.ok || !o.value.created) return;
      created++;
      emitToConversation(this.events, item.membership, 'message.created.v1', o.value.message, {
        exceptSessionId: item.caller.sessionId,
      });
    });
    if (created > 0) this.platform.metrics.messagesPersisted.inc(created);
  }
}
