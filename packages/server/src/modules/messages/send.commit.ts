import type { Message } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import { isUniqueViolation, type DB } from '../../platform/db/index.ts';
import type { Platform } from '../../platform/platform.ts';
import { writeTransaction, type ConversationsService } from '../conversations/index.ts';
import { carriesFile, type FileSend, type MessageAttachments } from './attachments.ts';
import { ClaimedSendRepo } from './claimed-send.repo.ts';
import { ClaimedSend } from './claimed-send.ts';
import type { Outcome } from './commit-batcher.ts';
import type { MessageCodec, NewMessageRow } from './messages.codec.ts';
import type { MessagesRepo, StoredMessage } from './messages.repo.ts';
import { LastSeqs } from './last-seqs.ts';
import { messageOf, rowOf, type PendingSend, type SendResult } from './pending-send.ts';

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

function duplicate(clientId: string): AppError {
  return new AppError('DUPLICATE_CLIENT_ID', { clientId });
}

/** Conversations whose last seq a process keeps for claimed sends (PostgreSQL): ~100 bytes each. */
const LAST_SEQS = 65_536;

/**
 * The items of a batch that commit (leaders: the first of each client id) and the repeats of a
 * client id within the batch (followers), each with its leader, answered from the leader's outcome.
 */
function splitRepeats(items: readonly PendingSend[]): {
  leaders: Map<string, number>;
  followers: Array<[index: number, leader: number]>;
} {
  const leaders = new Map<string, number>();
  const followers: Array<[index: number, leader: number]> = [];
  items.forEach((item, i) => {
    const key = keyOf(item.caller.userId, item.clientId);
    const leader = leaders.get(key);
    if (leader === undefined) leaders.set(key, i);
    else followers.push([i, leader]);
  });
  return { leaders, followers };
}

/** A repeat of a client id in one batch: the leader's message if the request is the same. */
function followerOutcome(
  items: readonly PendingSend[],
  index: number,
  leader: number,
  lead: Outcome<SendResult> | undefined,
): Outcome<SendResult> | undefined {
  if (items[index]!.clientHash !== items[leader]!.clientHash)
    return { ok: false, error: duplicate(items[index]!.clientId) };
  if (lead?.ok) return { ok: true, value: { message: lead.value.message, created: false } };
  return lead;
}

/**
 * The group commit of a batch of sends: seqs in order per conversation, client ids deduplicated
 * (a retry is answered with the stored message), file references and, on SQLite, file evidence in
 * the same transaction. On PostgreSQL a batch goes in one statement where it can (ClaimedSend).
 */
export class SendCommit {
  /** PostgreSQL: batches go in one statement where the seqs this process expects still hold. */
  private readonly claimed: ClaimedSend | null;

  constructor(
    private readonly platform: Platform,
    private readonly conversations: ConversationsService,
    private readonly repo: MessagesRepo,
    codec: MessageCodec,
    private readonly attachments?: MessageAttachments,
  ) {
    this.claimed =
      platform.dialect === 'postgres'
        ? new ClaimedSend(
            platform.db,
            new ClaimedSendRepo(codec, attachments?.claimedRefs),
            new LastSeqs(LAST_SEQS),
            platform.metrics,
          )
        : null;
  }

  /** Another process committed `seq` in the conversation (a hint for the one-statement send). */
  noteSeq(conversationId: string, seq: number): void {
    this.claimed?.noteSeq(conversationId, seq);
  }

  async commit(items: readonly PendingSend[]): Promise<Array<Outcome<SendResult>>> {
    const outcomes = this.claimed
      ? await this.commitClaimed(this.claimed, items)
      : await this.commitInTransaction(items, false);
    this.platform.metrics.commitBatchSize.observe(outcomes.filter((o) => o.ok && o.value.created).length);
    return outcomes;
  }

  /** PostgreSQL: one statement where it can (see ClaimedSend), the transaction for what is left. */
  private async commitClaimed(
    claimed: ClaimedSend,
    items: readonly PendingSend[],
  ): Promise<Array<Outcome<SendResult>>> {
    const { leaders, followers } = splitRepeats(items);
    const { done, left, lookUp } = await claimed.commit(items, [...leaders.values()]);
    const outcomes: Array<Outcome<SendResult> | undefined> = new Array(items.length);
    for (const [i, o] of done) outcomes[i] = o;
    if (left.length > 0) {
      // A failure after part of the batch committed fails only the rest (a commit that throws
      // would be retried item by item, and the part committed would then read as retries).
      const rest = await this.commitInTransaction(
        left.map((i) => items[i]!),
        lookUp,
      ).catch((err: unknown) => {
        if (done.size === 0) throw err;
        return left.map((): Outcome<SendResult> => ({ ok: false, error: err }));
      });
      left.forEach((i, k) => {
        const o = rest[k];
        outcomes[i] = o;
        if (o?.ok && o.value.created) claimed.noteSeq(o.value.message.conversationId, o.value.message.seq);
      });
    }
    for (const [i, leader] of followers) outcomes[i] = followerOutcome(items, i, leader, outcomes[leader]);
    return outcomes.map((o) => o ?? { ok: false, error: new Error('send without outcome') });
  }

  /**
   * One transaction for the batch. Retries are rare: first (unless `lookUpFirst`) without looking
   * client ids up. If the insert meets one already stored, the unique index refuses it and the
   * rollback takes back the seqs reserved for the batch; it then goes again, looking every client
   * id up first.
   */
  private async commitInTransaction(
    items: readonly PendingSend[],
    lookUpFirst: boolean,
  ): Promise<Array<Outcome<SendResult>>> {
    const { db, dialect } = this.platform;
    const attempt = (lookUp: boolean) =>
      writeTransaction(db, dialect, (trx) => this.commitIn(trx, items, lookUp));
    try {
      if (lookUpFirst) return await attempt(true);
      return await attempt(false).catch((err: unknown) => {
        if (!isUniqueViolation(err)) throw err;
        return attempt(true);
      });
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
    const { leaders, followers } = splitRepeats(items);
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
    for (const [i, leader] of followers) outcomes[i] = followerOutcome(items, i, leader, outcomes[leader]);
    return outcomes.map((o) => o ?? { ok: false, error: new Error('send without outcome') });
  }
}
