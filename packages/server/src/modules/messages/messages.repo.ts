import type { Message, MessageList, Reaction } from '@zhixin/protocol';
import { CompiledQuery, type Kysely } from 'kysely';
import { queryTemplate } from '../../platform/db/compiled-query.ts';
import type { DB, Dialect } from '../../platform/db/index.ts';
import { MAX_PADDED, padded, placeholderTuples, unnestInsert } from '../../platform/db/index.ts';
import { chunks } from '../conversations/index.ts';
import { AppError } from '../../errors.ts';
import type { TamperedRow, TamperReporter } from './integrity.ts';
import {
  aggregateReactions,
  type MessageCodec,
  type MessageRow,
  type NewMessageRow,
} from './messages.codec.ts';

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
export const COLUMNS = [
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
  ['mac', 'text'],
] as const satisfies ReadonlyArray<readonly [keyof MessageRow, string]>;
const COLUMN_LIST = COLUMNS.map(([c]) => `"${c}"`).join(', ');
const SINGLE_INSERT = `insert into "messages" (${COLUMN_LIST}) values (${COLUMNS.map(() => '?').join(', ')})`;
const UNNEST_INSERT = unnestInsert<MessageRow, (typeof COLUMNS)[number][0]>('messages', COLUMNS);

const LOOKUP = 'select * from "messages" where ("sender_id", "client_id")';
const LOOKUP_UNNEST = `${LOOKUP} in (select * from unnest($1::text[], $2::text[]))`;

type ClientKey = { senderId: string; clientId: string };

/** Tries of a change that keeps losing the race to other changes of the same message. */
const CHANGE_ATTEMPTS = 5;

/** The columns covered by the MAC that a change may set. */
type MacPatch = Partial<
  Pick<MessageRow, 'content_enc' | 'mentions' | 'edited_at' | 'recalled_at' | 'file_expired'>
>;

/** The only SQL over the messages and reactions tables. */
export class MessagesRepo {
  // SQLite lookup texts by padded key count, built once: the same text finds its cached statement.
  private readonly lookupTexts = new Map<number, string>();
  // One message by its key: read by replies, forwards, edits, recalls and reactions.
  private readonly rowQuery = queryTemplate((p: { conversationId: string; seq: number }) =>
    this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', p.conversationId)
      .where('seq', '=', p.seq)
      .compile(),
  );

  constructor(
    private readonly db: Kysely<DB>,
    private readonly codec: MessageCodec,
    private readonly dialect: Dialect,
    private readonly tamper: TamperReporter,
  ) {}

  /**
   * Insert a committed batch (in the caller's transaction). Each dialect's statement text is the
   * same for every batch: on PostgreSQL one insert from unnest of column arrays; on SQLite one
   * cached single-row statement per row, which SQLite runs faster per row than a multi-row VALUES.
   * Each row's MAC goes in with it.
   */
  async insertMany(trx: Kysely<DB>, newRows: readonly NewMessageRow[]): Promise<void> {
    if (newRows.length === 0) return;
    const rows: MessageRow[] = newRows.map((r) => ({ ...r, mac: this.codec.integrity.mac(r) }));
    if (this.dialect === 'postgres') {
      await trx.executeQuery(UNNEST_INSERT(rows));
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
      const messages = await this.present(rows, db);
      rows.forEach((row, i) => {
        const message = messages[i];
        if (message) out.set(`${row.sender_id}\0${row.client_id}`, { message, clientHash: row.client_hash });
      });
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
    const row = await this.row(conversationId, seq, db);
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
   * A message that fails its integrity check is refused (CONFLICT): a new MAC would launder it.
   */
  async change(
    conversationId: string,
    seq: number,
    senderId: string,
    changes: MessageChanges,
    now: number,
    opts: { textOnly?: boolean } = {},
  ): Promise<Message | null> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const row = await this.row(conversationId, seq);
      if (!row || row.sender_id !== senderId || row.recalled_at !== null) return null;
      if (opts.textOnly === true && row.kind !== 'text') return null;
      if (this.codec.integrity.check(row)) {
        await this.present([row]);
        throw new AppError('CONFLICT', { reason: 'the message failed its integrity check' });
      }
      const updated = await this.rewrite(
        row,
        {
          ...(changes.contentSealed !== undefined ? { content_enc: changes.contentSealed } : {}),
          ...(changes.mentions !== undefined ? { mentions: changes.mentions } : {}),
          ...(changes.editedAt !== undefined ? { edited_at: changes.editedAt } : {}),
          ...(changes.recalledAt !== undefined ? { recalled_at: changes.recalledAt } : {}),
        },
        now,
      );
      if (updated) return (await this.present([updated]))[0] ?? null;
    }
    throw new AppError('CONFLICT', { reason: 'the message kept changing; try again' });
  }

  /**
   * Mark messages whose file was removed (retention, or its owner deleted it), each once: the
   * version and `updated_at` move so `messages.changes` carries them. Returns the changed messages.
   * One statement per row: each gets its own MAC.
   */
  async markFileExpired(conversationId: string, seqs: readonly number[], now: number): Promise<Message[]> {
    const changed: MessageRow[] = [];
    for (const part of chunks(seqs, 500)) {
      const rows = await this.db
        .selectFrom('messages')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('seq', 'in', part)
        .where('file_expired', '=', 0)
        .execute();
      for (let row of rows) {
        for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
          const updated = await this.rewrite(row, { file_expired: 1 }, now);
          if (updated) changed.push(updated);
          const again = updated ? undefined : await this.row(conversationId, Number(row.seq));
          if (!again || Number(again.file_expired) === 1) break;
          row = again;
        }
      }
    }
    return this.present(changed);
  }

  private async row(
    conversationId: string,
    seq: number,
    db: Kysely<DB> = this.db,
  ): Promise<MessageRow | undefined> {
    return (await db.executeQuery(this.rowQuery.bind({ conversationId, seq }))).rows[0];
  }

  /**
   * Set `patch` on a row read before, with its new MAC, and bump its version; null when the row
   * changed since it was read (its MAC moved with it), so the caller reads it again. A row that
   * fails its check keeps its MAC: it stays flagged instead of being made to pass. A 'legacy' row
   * not yet backfilled gets its real MAC here, as the backfill would give it.
   */
  private async rewrite(row: MessageRow, patch: MacPatch, now: number): Promise<MessageRow | null> {
    const next = { ...row, ...patch };
    const mac = this.codec.integrity.check(row) ? row.mac : this.codec.integrity.mac(next);
    const updated = await this.db
      .updateTable('messages')
      .set((eb) => ({ ...patch, mac, updated_at: now, version: eb('version', '+', 1) }))
      .where('conversation_id', '=', row.conversation_id)
      .where('seq', '=', row.seq)
      .where('mac', '=', row.mac)
      .returningAll()
      .executeTakeFirst();
    return updated ?? null;
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
    const tampered: TamperedRow[] = [];
    const messages = rows.map((row) => {
      const read = this.codec.toMessage(
        row,
        reactions.get(`${row.conversation_id}\0${Number(row.seq)}`) ?? [],
      );
      if (read.tampered) tampered.push({ row, reason: read.tampered });
      return read.message;
    });
    // On record before the reader sees it (rare: only rows edited in the database get here); not
    // awaited inside a caller's transaction, which SQLite's audit append would wait for.
    if (tampered.length > 0) {
      const reported = this.tamper.report(tampered);
      if (db === this.db) await reported;
    }
    return messages;
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
