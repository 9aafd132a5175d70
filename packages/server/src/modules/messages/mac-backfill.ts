import type { Kysely } from 'kysely';
import { writeTransaction, type DB, type Dialect } from '../../platform/db/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { LEGACY_MAC, type MessageIntegrity } from './integrity.ts';

const BATCH = 500;

/**
 * Give every row migrated with a 'legacy' MAC (migration 0019: it had no keys) its real one, then
 * record the backfill as done, after which 'legacy' counts as tampered. Runs at startup in the
 * background, in batches walked along the primary key (one index scan in all, not one table scan
 * per batch). Every node may run it at once: each update only replaces 'legacy', with the same
 * value. A missing state row counts as done: someone removed it, and backfilling now would bless
 * rows a forger set to 'legacy'. Resetting `done_at` to null would: with write access to the
 * database the bookkeeping can be forged too, which is the limit of a MAC kept next to its row.
 */
export async function backfillMessageMacs(deps: {
  db: Kysely<DB>;
  dialect: Dialect;
  integrity: MessageIntegrity;
  log: Logger;
  /** True once the server is closing: stop between batches. */
  stopped: () => boolean;
}): Promise<void> {
  const { db, dialect, integrity, log } = deps;
  const state = await db
    .selectFrom('message_mac_backfill')
    .select('done_at')
    .where('name', '=', 'messages')
    .executeTakeFirst();
  if (!state || state.done_at !== null) {
    if (!state) log.warn('message MAC backfill state missing: legacy MACs count as tampered');
    integrity.backfillDone();
    return;
  }
  let after: { conversationId: string; seq: number } | null = null;
  let filled = 0;
  for (;;) {
    if (deps.stopped()) return;
    let query = db.selectFrom('messages').selectAll();
    if (after) {
      const { conversationId, seq } = after;
      query = query.where((eb) =>
        eb(eb.refTuple('conversation_id', 'seq'), '>', eb.tuple(conversationId, seq)),
      );
    }
    const rows = await query.orderBy('conversation_id').orderBy('seq').limit(BATCH).execute();
    const last = rows[rows.length - 1];
    if (!last) break;
    after = { conversationId: last.conversation_id, seq: Number(last.seq) };
    const legacy = rows.filter((r) => r.mac === LEGACY_MAC);
    if (legacy.length === 0) continue;
    await writeTransaction(db, dialect, async (trx) => {
      for (const row of legacy)
        await trx
          .updateTable('messages')
          .set({ mac: integrity.mac(row) })
          .where('conversation_id', '=', row.conversation_id)
          .where('seq', '=', row.seq)
          .where('mac', '=', LEGACY_MAC)
          .execute();
    });
    filled += legacy.length;
  }
  await db
    .updateTable('message_mac_backfill')
    .set({ done_at: Date.now() })
    .where('name', '=', 'messages')
    .where('done_at', 'is', null)
    .execute();
  integrity.backfillDone();
  if (filled > 0) log.info({ rows: filled }, 'message MACs backfilled');
}
