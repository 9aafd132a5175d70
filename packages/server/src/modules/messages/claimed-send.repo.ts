import type { Message } from '@zhixin/protocol';
import { CompiledQuery, type Kysely } from 'kysely';
import { columnArrays, keepPrepared, unnestParams, type DB } from '../../platform/db/index.ts';
import { claimSeqsSql } from '../conversations/index.ts';
import type { ClaimedSendPart } from './attachments.ts';
import type { MessageCodec, NewMessageRow } from './messages.codec.ts';
import { COLUMNS } from './messages.repo.ts';

/** The seqs a batch claims in one conversation: `count` of them after `expected`. */
export interface SeqClaim {
  conversationId: string;
  count: number;
  /** The last seq the conversation is expected to be at. */
  expected: number;
}

/** What the statement did with one conversation's claim. */
export interface ClaimResult {
  /** Its seqs were claimed and its messages stored. */
  claimed: boolean;
  /** Its last seq when the statement began; null when there is no such conversation. */
  seen: number | null;
}

/** The first parameter after the claims ($1 ids, $2 counts, $3 expected seqs) and the time ($4). */
const FIRST_ROW_PARAM = 5;

/**
 * PostgreSQL: a send batch in one statement, which is its own transaction. The conversations
 * module's CTEs claim the seqs; the messages of claimed conversations are inserted (from one array
 * per column, with their MACs); a part from the files module stores their file references. Every
 * batch runs the same text, whatever its size.
 */
export class ClaimedSendRepo {
  private readonly text: string;

  constructor(
    private readonly codec: MessageCodec,
    private readonly refs?: ClaimedSendPart,
  ) {
    const names = COLUMNS.map(([c]) => `"${c}"`).join(', ');
    const parts = [
      `want (id, n, expected) as (select * from unnest($1::text[], $2::int8[], $3::int8[]))`,
      claimSeqsSql('want', '$4'),
      `inserted as (
        insert into "messages" (${names})
        select * from unnest(${unnestParams(COLUMNS, FIRST_ROW_PARAM)}) as m(${names})
        where m."conversation_id" in (select id from claimed)
      )`,
    ];
    if (refs) parts.push(refs.sql('claimed', FIRST_ROW_PARAM + COLUMNS.length));
    this.text = keepPrepared(`with ${parts.join(',\n')}
      select w.id, c.id is not null as claimed, s.last_seq
      from want w left join claimed c on c.id = w.id left join seen s on s.id = w.id`);
  }

  /**
   * Run the statement: `rows` are the messages of every claim at the seqs it expects (`messages`
   * the same, for their file references). Returns each conversation's result.
   */
  async commit(
    db: Kysely<DB>,
    claims: readonly SeqClaim[],
    now: number,
    rows: readonly NewMessageRow[],
    messages: readonly Message[],
  ): Promise<Map<string, ClaimResult>> {
    const withMacs = rows.map((r) => ({ ...r, mac: this.codec.integrity.mac(r) }));
    const params: unknown[] = [
      claims.map((c) => c.conversationId),
      claims.map((c) => c.count),
      claims.map((c) => c.expected),
      now,
      ...columnArrays(COLUMNS, withMacs),
    ];
    if (this.refs) params.push(...this.refs.params(messages));
    const { rows: results } = await db.executeQuery<{
      id: string;
      claimed: boolean;
      last_seq: string | number | null;
    }>(CompiledQuery.raw(this.text, params));
    const out = new Map<string, ClaimResult>();
    for (const r of results)
      out.set(r.id, { claimed: r.claimed, seen: r.last_seq === null ? null : Number(r.last_seq) });
    return out;
  }
}
