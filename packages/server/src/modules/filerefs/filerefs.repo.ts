import { CompiledQuery, type Kysely } from 'kysely';
import { queryTemplate } from '../../platform/db/compiled-query.ts';
import { columnArrays, unnestParams, type DB, type Dialect } from '../../platform/db/index.ts';
import { chunks } from '../conversations/index.ts';

/** One message carrying one file. */
export interface FileRef {
  conversationId: string;
  seq: number;
  fileId: string;
  senderId: string;
  createdAt: number;
}

/** The row of a reference (its placeholders, in the compiled template). */
function rowOf(r: FileRef) {
  return {
    conversation_id: r.conversationId,
    seq: r.seq,
    file_id: r.fileId,
    sender_id: r.senderId,
    created_at: r.createdAt,
    recalled: 0,
  };
}

/** The columns a send writes, each with its PostgreSQL array type (for unnest). */
const SENT_COLUMNS = [
  ['conversation_id', 'text'],
  ['seq', 'int8'],
  ['file_id', 'text'],
  ['sender_id', 'text'],
  ['created_at', 'int8'],
] as const;
const SENT_NAMES = SENT_COLUMNS.map(([c]) => `"${c}"`).join(', ');
/** A message stored twice (a retried commit) keeps its one reference. */
const ON_CONFLICT = 'on conflict ("conversation_id", "seq", "file_id") do nothing';

/** The parameters of the unnest inserts (`claimedRefsSql`'s too): one array per sent column. */
export function sentRefArrays(refs: readonly FileRef[]): unknown[] {
  return columnArrays(SENT_COLUMNS, refs.map(rowOf));
}

/**
 * PostgreSQL, a CTE of the one-statement send (see claimSeqsSql): inserts the references whose
 * conversation is in the CTE `claimed` (id); its parameters (`sentRefArrays`) from $first.
 */
export function claimedRefsSql(claimed: string, first: number): string {
  return `refs as (
    insert into "file_refs" (${SENT_NAMES})
    select * from unnest(${unnestParams(SENT_COLUMNS, first)}) as f(${SENT_NAMES})
    where f."conversation_id" in (select id from ${claimed})
    ${ON_CONFLICT}
  )`;
}

/** The only SQL over file_refs. */
export class FileRefsRepo {
  // PostgreSQL: every batch's references in one statement of the same text, whatever their count.
  private readonly unnestText = `insert into "file_refs" (${SENT_NAMES}) select * from unnest(${unnestParams(SENT_COLUMNS)}) ${ON_CONFLICT}`;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  // One row per file message, in every send batch that carries files: compiled once.
  private readonly insertOne = queryTemplate((r: FileRef) =>
    this.db
      .insertInto('file_refs')
      .values(rowOf(r))
      .onConflict((oc) => oc.columns(['conversation_id', 'seq', 'file_id']).doNothing())
      .compile(),
  );

  /** In the send's commit transaction. */
  async insert(trx: Kysely<DB>, refs: readonly FileRef[]): Promise<void> {
    if (refs.length === 0) return;
    if (this.dialect === 'postgres') {
      await trx.executeQuery(CompiledQuery.raw(this.unnestText, sentRefArrays(refs)));
      return;
    }
    // A few rows (the usual batch): the compiled single-row statement each; SQLite runs it as fast.
    if (refs.length <= 16) {
      for (const r of refs) await trx.executeQuery(this.insertOne.bind(r));
      return;
    }
    for (const part of chunks(refs, 200)) {
      await trx
        .insertInto('file_refs')
        .values(part.map(rowOf))
        .onConflict((oc) => oc.columns(['conversation_id', 'seq', 'file_id']).doNothing())
        .execute();
    }
  }

  async markRecalled(conversationId: string, seq: number): Promise<void> {
    await this.db
      .updateTable('file_refs')
      .set({ recalled: 1 })
      .where('conversation_id', '=', conversationId)
      .where('seq', '=', seq)
      .execute();
  }

  /** Whether a message of this conversation that is not recalled carries the file. */
  async sharedIn(fileId: string, conversationId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('file_refs')
      .select('seq')
      .where('file_id', '=', fileId)
      .where('conversation_id', '=', conversationId)
      .where('recalled', '=', 0)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Conversations where a message that is not recalled carries the file (at most `limit`). */
  async conversationsOf(fileId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('file_refs')
      .select('conversation_id')
      .distinct()
      .where('file_id', '=', fileId)
      .where('recalled', '=', 0)
      .orderBy('conversation_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.conversation_id);
  }

  /** Every message carrying one of these files. */
  async messagesOf(fileIds: readonly string[]): Promise<Array<{ conversationId: string; seq: number }>> {
    const out: Array<{ conversationId: string; seq: number }> = [];
    for (const part of chunks(fileIds, 500)) {
      const rows = await this.db
        .selectFrom('file_refs')
        .select(['conversation_id', 'seq'])
        .where('file_id', 'in', part)
        .execute();
      for (const r of rows) out.push({ conversationId: r.conversation_id, seq: Number(r.seq) });
    }
    return out;
  }
}
