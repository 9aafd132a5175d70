import type { Message } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import { isUniqueViolation, type DB } from '../../platform/db/index.ts';
import type { ClaimResult, ClaimedSendRepo, SeqClaim } from './claimed-send.repo.ts';
import type { Outcome } from './commit-batcher.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { LastSeqs } from './last-seqs.ts';
import type { NewMessageRow } from './messages.codec.ts';
import { messageOf, rowOf, type PendingSend, type SendResult } from './pending-send.ts';

/** Statements tried before what is left goes through the transaction. */
const ROUNDS = 2;

/** A seq no conversation is at: the claim of a conversation whose seq is not known only reads it. */
const UNKNOWN = -1;

/** What a claimed send committed, and what is left for the transaction. */
export interface ClaimedCommit {
  /** Outcomes of the items committed, by index. */
  done: Map<number, Outcome<SendResult>>;
  /** Indexes of the items to commit in a transaction instead, in batch order. */
  left: number[];
  /** The statement met a client id already stored: the transaction should look them up first. */
  lookUp: boolean;
}

/**
 * PostgreSQL: a send batch committed in one statement, one round trip, in place of a transaction of
 * five (begin, reserve seqs, un-hide, insert, commit) with the process waiting on each. The process
 * keeps the last seq it saw of each conversation (LastSeqs) and gives the batch's messages the seqs
 * after it; the statement claims them only where the conversation is still at that seq (see
 * claimSeqsSql), and stores only those conversations' messages. One another process sent to
 * meanwhile, or that this process has not seen, comes back with its seq as the statement saw it and
 * goes once more at that seq; what still fails is left for the transaction. Acknowledged still
 * means committed: the statement is its own transaction.
 */
export class ClaimedSend {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly repo: ClaimedSendRepo,
    private readonly seqs: LastSeqs,
    private readonly metrics: Metrics,
  ) {}

  /**
   * A conversation is now at least at `seq`: a message the transaction committed, or one another
   * process committed and delivered here (EmitOptions.seqHint).
   */
  noteSeq(conversationId: string, seq: number): void {
    this.seqs.note(conversationId, seq);
  }

  /** Commit what it can of `indexes` of `items` (no two with one client id). */
  async commit(items: readonly PendingSend[], indexes: readonly number[]): Promise<ClaimedCommit> {
    const done = new Map<number, Outcome<SendResult>>();
    const left: number[] = [];
    let waiting = new Map<string, number[]>();
    for (const i of indexes) {
      const id = items[i]!.membership.conversationId;
      const list = waiting.get(id);
      if (list) list.push(i);
      else waiting.set(id, [i]);
    }
    let lookUp = false;
    let seen = new Map<string, number>();
    for (let round = 0; round < ROUNDS && waiting.size > 0; round++) {
      const expected = (id: string) => (round === 0 ? this.seqs.get(id) : seen.get(id));
      const results = await this.claim(items, waiting, expected, done).catch((err: unknown) => {
        // Nothing of this statement was stored: what it held goes to the transaction, which looks
        // the client ids up if one was already stored. Another failure is the batch's, unless an
        // earlier statement stored part of it (that part is committed and must be acknowledged).
        if (isUniqueViolation(err)) lookUp = true;
        else if (done.size === 0) throw err;
        return null;
      });
      if (!results) break;
      const retry = new Map<string, number[]>();
      seen = new Map();
      for (const [id, list] of waiting) {
        const result = results.get(id);
        if (result?.claimed) continue;
        if (result?.seen === null || result?.seen === undefined) left.push(...list);
        else {
          this.seqs.note(id, result.seen);
          seen.set(id, result.seen);
          retry.set(id, list);
        }
      }
      this.count('claimed', waiting.size - retry.size);
      this.count('missed', retry.size);
      waiting = retry;
    }
    for (const list of waiting.values()) left.push(...list);
    this.count('transaction', new Set(left.map((i) => items[i]!.membership.conversationId)).size);
    return { done, left: left.sort((a, b) => a - b), lookUp };
  }

  /**
   * One statement: each waiting conversation's messages at the seqs after the one expected (only a
   * read of the seq where none is known). Sets the outcomes of the messages stored.
   */
  private async claim(
    items: readonly PendingSend[],
    waiting: ReadonlyMap<string, number[]>,
    expectedOf: (conversationId: string) => number | undefined,
    done: Map<number, Outcome<SendResult>>,
  ): Promise<Map<string, ClaimResult>> {
    const now = Date.now();
    const claims: SeqClaim[] = [];
    const rows: NewMessageRow[] = [];
    const messages: Message[] = [];
    // Sorted, so that statements of other processes lock shared conversations in the same order.
    for (const id of [...waiting.keys()].sort()) {
      const expected = expectedOf(id);
      const list = waiting.get(id)!;
      if (expected === undefined) {
        claims.push({ conversationId: id, count: 0, expected: UNKNOWN });
        continue;
      }
      claims.push({ conversationId: id, count: list.length, expected });
      list.forEach((i, k) => {
        rows.push(rowOf(items[i]!, expected + 1 + k, now));
        messages.push(messageOf(items[i]!, expected + 1 + k, now));
      });
    }
    const results = await this.repo.commit(this.db, claims, now, rows, messages);
    let m = 0;
    for (const claim of claims) {
      const list = waiting.get(claim.conversationId)!;
      if (results.get(claim.conversationId)?.claimed) {
        for (const i of list) done.set(i, { ok: true, value: { message: messages[m++]!, created: true } });
        this.seqs.note(claim.conversationId, claim.expected + claim.count);
      } else m += claim.count;
    }
    return results;
  }

  private count(result: 'claimed' | 'missed' | 'transaction', conversations: number): void {
    if (conversations > 0) this.metrics.sendClaims.inc({ result }, conversations);
  }
}
