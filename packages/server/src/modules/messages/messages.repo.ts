import type { Message, MessageList, Reaction } from '@zhixin/protocol';
import { CompiledQuery, type Kysely } from 'kysely';
import type { DB, Dialect } from '../../platform/db/index.ts';
import { MAX_PADDED, padded, placeholderTuples } from '../../platform/db/index.ts';
import { chunks } from '../conversations/index.ts';
import { aggregateReactions, type MessageCodec, type MessageRow } from './messages.codec.ts';

/** A message as stored, with the fingerprint of the request that created it. */
export interface StoredMessage {
  message: Message;
  clientHash: string;
}

export interface MessageChanges {
  contentSealed?: string | null;
  mentions?: string;
  editedAt?: number;
  recalledAt?: number;
}

/** Insert order of the messages columns, with each one's PostgreSQL array type (for unnest). */
const COLUMNS = [
  ['conversation_id', 'text'],
  ['seq', 'int8'],
  ['id', 'text'],
  ['client_id', 'text'],
  ['client_hash', 'text'],
  ['sender_id', 'text'],
  ['kind', 'text'],
  ['content_enc', 'text'],
  ['mentions', 'text'],
  ['extra_enc', 'text'],
  ['created_at', 'int8'],
  ['edited_at', 'int8'],
  ['recalled_at', 'int8'],
  ['updated_at', 'int8'],
  ['version', 'int4'],
] as const satisfies ReadonlyArray<readonly [keyof MessageRow, string]>;
const COLUMN_LIST = COLUMNS.map(([c]) => `"${c}"`).join(', ');
const SINGLE_INSERT = `insert into "messages" (${COLUMN_LIST}) values (${COLUMNS.map(() => '?').join(', ')})`;
const UNNEST_INSERT = `insert into "messages" (${COLUMN_LIST}) select * from unnest(${COLUMNS.map(
  ([, type], i) => `$${i + 1}::${type}[]`,
).join(', ')})`;

const LOOKUP = 'select * from "messages" where ("sender_id", "client_id")';
const LOOKUP_UNNEST = `${LOOKUP} in (select * from unnest($1::text[], $2::text[]))`;

type ClientKey = { senderId: string; clientId: string };

/** The only SQL over the messages and reactions tables. */
export class MessagesRepo {
  // SQLite lookup texts by padded key count, built once: the same text finds its cached statement.
  private readonly lookupTexts = new Map<number, string>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly codec: MessageCodec,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Insert a committed batch (in the caller's transaction). Each dialect's statement text is the
   * same for every batch: on PostgreSQL one insert from unnest of column arrays; on SQLite one
   * cached single-row statement per row, which SQLite runs faster per row than a multi-row VALUES.
   */
  async insertMany(trx: Kysely<DB>, rows: readonly MessageRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.dialect === 'postgres') {
      const arrays = COLUMNS.map(([c]) => rows.map((r) => r[c]));
      await trx.executeQuery(CompiledQuery.raw(UNNEST_INSERT, arrays));
      return;
    }
    for (const row of rows)
      await trx.executeQuery(
        CompiledQuery.raw(
          SINGLE_INSERT,
          COLUMNS.map(([c]) => row[c]),
        ),
      );
  }

  /** Messages already sent under these (sender, client id) keys, by `${sender}\0${clientId}`. */
  async byClientIds(db: Kysely<DB>, keys: readonly ClientKey[]): Promise<Map<string, StoredMessage>> {
    const out = new Map<string, StoredMessage>();
    for (const part of chunks(keys, MAX_PADDED)) {
      const { rows } = await db.executeQuery<MessageRow>(this.lookup(part));
      for (const row of rows) {
        const reactions = await this.reactionsOf(row.conversation_id, [Number(row.seq)], db);
        const message = this.codec.toMessage(row, reactions.get(Number(row.seq)) ?? []);
        out.set(`${row.sender_id}\0${row.client_id}`, { message, clientHash: row.client_hash });
      }
    }
    return out;
  }

  /**
   * The lookup of 1 to MAX_PADDED keys, one messages_client index probe per key. Its text is the
   * same for any count on PostgreSQL (unnest) and for any count of the same padded size on SQLite.
   */
  private lookup(keys: readonly ClientKey[]): CompiledQuery {
    if (this.dialect === 'postgres')
      return CompiledQuery.raw(LOOKUP_UNNEST, [keys.map((k) => k.senderId), keys.map((k) => k.clientId)]);
    // Padded with its first key: a repeated key changes nothing.
    const all = padded(keys, keys[0] as ClientKey);
    let text = this.lookupTexts.get(all.length);
    if (text === undefined) {
      text = `${LOOKUP} in (values ${placeholderTuples('sqlite', all.length, 2)})`;
      this.lookupTexts.set(all.length, text);
    }
    return CompiledQuery.raw(
      text,
      all.flatMap((k) => [k.senderId, k.clientId]),
    );
  }

  async get(conversationId: string, seq: number, db: Kysely<DB> = this.db): Promise<Message | null> {
    const row = await db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? ((await this.present([row], db))[0] ?? null) : null;
  }

  /** Newest first below `beforeSeq`; or, with `afterSeq`, oldest first above it (a gap pull). */
  async page(
    conversationId: string,
    opts: { beforeSeq?: number; afterSeq?: number; limit: number },
  ): Promise<MessageList> {
    const { beforeSeq, afterSeq, limit } = opts;
    const ascending = afterSeq !== undefined;
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .$if(afterSeq !== undefined, (qb) => qb.where('seq', '>', afterSeq as number))
      .$if(beforeSeq !== undefined, (qb) => qb.where('seq', '<', beforeSeq as number))
      .orderBy('seq', ascending ? 'asc' : 'desc')
      .limit(limit + 1)
      .execute();
    return { messages: await this.present(rows.slice(0, limit)), hasMore: rows.length > limit };
  }

  /** Messages edited, recalled or reacted to after `since`, oldest change first. */
  async changes(conversationId: string, since: number, limit: number): Promise<MessageList> {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('updated_at', '>', since)
      .where('version', '>', 1)
      .orderBy('updated_at')
      .orderBy('seq')
      .limit(limit + 1)
      .execute();
    return { messages: await this.present(rows.slice(0, limit)), hasMore: rows.length > limit };
  }

  /**
   * Apply a change to a message and bump its version, if it is `senderId`'s, is not recalled and
   * (with `textOnly`) is a text message. Returns the updated message, or null when nothing matched.
   */
  async change(
    conversationId: string,
    seq: number,
    senderId: string,
    changes: MessageChanges,
    now: number,
    opts: { textOnly?: boolean } = {},
  ): Promise<Message | null> {
    const row = await this.db
      .updateTable('messages')
      .set((eb) => ({
        ...(changes.contentSealed !== undefined ? { content_enc: changes.contentSealed } : {}),
        ...(changes.mentions !== undefined ? { mentions: changes.mentions } : {}),
        ...(changes.editedAt !== undefined ? { edited_at: changes.editedAt } : {}),
        ...(changes.recalledAt !== undefined ? { recalled_at: changes.recalledAt } : {}),
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('conversation_id', '=', conversationId)
      .where('seq', '=', seq)
      .where('sender_id', '=', senderId)
      .where('recalled_at', 'is', null)
      .$if(opts.textOnly === true, (qb) => qb.where('kind', '=', 'text'))
      .returningAll()
      .executeTakeFirst();
    return row ? ((await this.present([row]))[0] ?? null) : null;
  }

  /**
   * Mark messages whose file was removed (retention, or its owner deleted it), each once: the
   * version and `updated_at` move so `messages.changes` carries them. Returns the changed messages.
   */
  async markFileExpired(conversationId: string, seqs: readonly number[], now: number): Promise<Message[]> {
    const rows: MessageRow[] = [];
    for (const part of chunks(seqs, 500)) {
      const changed = await this.db
        .updateTable('messages')
        .set((eb) => ({ file_expired: 1, updated_at: now, version: eb('version', '+', 1) }))
        .where('conversation_id', '=', conversationId)
        .where('seq', 'in', part)
        .where('file_expired', '=', 0)
        .returningAll()
        .execute();
      rows.push(...changed);
    }
    return this.present(rows);
  }

  /** Add or remove one user's reaction; bumps the message's version when something changed. */
  async setReaction(
    trx: Kysely<DB>,
    ref: { conversationId: string; seq: number },
    userId: string,
    emoji: string,
    on: boolean,
    now: number,
  ): Promise<boolean> {
    const key = { conversation_id: ref.conversationId, seq: ref.seq, user_id: userId, emoji };
    const changed = on
      ? await trx
          .insertInto('reactions')
          .values({ ...key, created_at: now })
          .onConflict((oc) => oc.columns(['conversation_id', 'seq', 'user_id', 'emoji']).doNothing())
          .returning('user_id')
          .execute()
      : await trx
          .deleteFrom('reactions')
          .where('conversation_id', '=', ref.conversationId)
          .where('seq', '=', ref.seq)
          .where('user_id', '=', userId)
          .where('emoji', '=', emoji)
          .returning('user_id')
          .execute();
    if (changed.length === 0) return false;
    await trx
      .updateTable('messages')
      .set((eb) => ({ updated_at: now, version: eb('version', '+', 1) }))
      .where('conversation_id', '=', ref.conversationId)
      .where('seq', '=', ref.seq)
      .execute();
    return true;
  }

  /** Rows to protocol messages, with their reactions (one query per page). */
  async present(rows: readonly MessageRow[], db: Kysely<DB> = this.db): Promise<Message[]> {
    if (rows.length === 0) return [];
    const byConversation = new Map<string, number[]>();
    for (const r of rows) {
      const seqs = byConversation.get(r.conversation_id);
      if (seqs) seqs.push(Number(r.seq));
      else byConversation.set(r.conversation_id, [Number(r.seq)]);
    }
    const reactions = new Map<string, Reaction[]>();
    for (const [conversationId, seqs] of byConversation) {
      for (const [seq, list] of await this.reactionsOf(conversationId, seqs, db))
        reactions.set(`${conversationId}\0${seq}`, list);
    }
    return rows.map((r) =>
      this.codec.toMessage(r, reactions.get(`${r.conversation_id}\0${Number(r.seq)}`) ?? []),
    );
  }

  private async reactionsOf(
    conversationId: string,
    seqs: readonly number[],
    db: Kysely<DB>,
  ): Promise<Map<number, Reaction[]>> {
    const out = new Map<number, Reaction[]>();
    for (const part of chunks(seqs, 500)) {
      const rows = await db
        .selectFrom('reactions')
        .select(['seq', 'emoji', 'user_id'])
        .where('conversation_id', '=', conversationId)
        .where('seq', 'in', part)
        .orderBy('created_at')
        .orderBy('user_id')
        .execute();
      const bySeq = new Map<number, Array<{ emoji: string; user_id: string }>>();
      for (const r of rows) {
        const list = bySeq.get(Number(r.seq));
        if (list) list.push(r);
        else bySeq.set(Number(r.seq), [r]);
      }
      for (const [seq, list] of bySeq) out.set(seq, aggregateReactions(list));
    }
    return out;
  }
}
