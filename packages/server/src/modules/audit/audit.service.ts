import type { AuditCategory, AuditPage, AuditQuery, AuditRecord, AuditVerification } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import { isUniqueViolation, writeTransaction, type Database, type DB } from '../../platform/db/index.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { chainHash, checkRun, GENESIS_HASH, type ChainedFields } from './audit.chain.ts';
import { AuditRepo, rowToChained, type AuditFilter, type AuditRow } from './audit.repo.ts';

/** What a module records; the log adds seq, time and hash. */
export interface AuditEntry {
  category: AuditCategory;
  action: string;
  actorId: string | null;
  subject?: string | null;
  conversationId?: string | null;
  targetIds?: readonly string[];
  deviceId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** The append-only, hash-chained audit log every module writes evidence to. */
export interface AuditLog {
  /** Append one record; resolves once it is durable. */
  append(entry: AuditEntry): Promise<AuditRecord>;
  /**
   * Append records inside the caller's write transaction (writeTransaction), so they commit (and are
   * durable) with it, or not at all. SQLite only: there BEGIN IMMEDIATE serializes every writer of
   * every process, so the head read here is the chain's; on PostgreSQL concurrent transactions
   * would collide on the seq, and `inTransaction` is false (use append).
   */
  appendIn(trx: Kysely<DB>, entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
  /** Whether appendIn may be used (SQLite). */
  readonly inTransaction: boolean;
  list(query: AuditQuery): Promise<AuditPage>;
  /** Oldest first, from `afterSeq` (exclusive), for exports. */
  listAscending(
    filter: Omit<AuditFilter, 'beforeSeq' | 'afterSeq'>,
    afterSeq: number,
  ): Promise<AuditRecord[]>;
  verify(): Promise<AuditVerification>;
}

const DETAILS_CONTEXT = 'audit.details';
const VERIFY_RUN = 2000;
const APPEND_ATTEMPTS = 20;
/** Most records one append transaction writes. */
const APPEND_BATCH = 200;

interface Sealed {
  entry: AuditEntry;
  detailsEnc: string;
  targetIds: string;
}

export function createAuditLog(
  database: Database,
  keyring: Keyring,
  clock: () => number = Date.now,
): AuditLog {
  const repo = new AuditRepo(database.db, database.dialect);
  // Appends of this process are group-committed: those that arrive while a transaction runs go
  // together in the next one, written with one insert. Other processes of a cluster wait for the
  // chain's lock (repo.lockChain); a collision on the primary key is still retried.
  const pending: Array<{ entry: AuditEntry; done: (r: AuditRecord) => void; fail: (e: unknown) => void }> =
    [];
  let draining = false;

  function toRecord(row: AuditRow): AuditRecord {
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(keyring.open(row.details_enc, DETAILS_CONTEXT)) as Record<string, unknown>;
    } catch {
      details = { unreadable: true };
    }
    return {
      seq: Number(row.seq),
      at: Number(row.at),
      category: row.category as AuditCategory,
      action: row.action,
      actorId: row.actor_id,
      subject: row.subject,
      conversationId: row.conversation_id,
      targetIds: JSON.parse(row.target_ids) as string[],
      deviceId: row.device_id,
      ip: row.ip,
      details,
      hash: row.hash,
    };
  }

  function seal(entries: readonly AuditEntry[]): Sealed[] {
    return entries.map((entry) => ({
      entry,
      detailsEnc: keyring.seal(JSON.stringify(entry.details ?? {}), DETAILS_CONTEXT),
      targetIds: JSON.stringify(entry.targetIds ?? []),
    }));
  }

  /** Write sealed entries in order at the head of the chain, in the open transaction `trx`. */
  async function writeEntries(trx: Kysely<DB>, sealed: readonly Sealed[]): Promise<AuditRecord[]> {
    await repo.lockChain(trx);
    let head = await repo.head(trx);
    const rows: Array<ChainedFields & { hash: string }> = [];
    const out: AuditRecord[] = [];
    for (const { entry, detailsEnc, targetIds } of sealed) {
      const fields = {
        seq: (head?.seq ?? 0) + 1,
        at: clock(),
        category: entry.category,
        action: entry.action,
        actorId: entry.actorId,
        subject: entry.subject ?? null,
        conversationId: entry.conversationId ?? null,
        targetIds,
        deviceId: entry.deviceId ?? null,
        ip: entry.ip ?? null,
        detailsEnc,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      const hash = chainHash(fields);
      rows.push({ ...fields, hash });
      head = { seq: fields.seq, hash };
      out.push({
        seq: fields.seq,
        at: fields.at,
        category: entry.category,
        action: entry.action,
        actorId: entry.actorId,
        subject: fields.subject,
        conversationId: fields.conversationId,
        targetIds: [...(entry.targetIds ?? [])],
        deviceId: fields.deviceId,
        ip: fields.ip,
        details: entry.details ?? {},
        hash,
      });
    }
    await repo.insertMany(trx, rows);
    return out;
  }

  /** Append entries in order in one transaction (one chain link each). */
  async function appendBatch(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const sealed = seal(entries);
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeTransaction(database.db, database.dialect, (trx) => writeEntries(trx, sealed));
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= APPEND_ATTEMPTS) throw err;
      }
    }
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    while (pending.length > 0) {
      const batch = pending.splice(0, APPEND_BATCH);
      try {
        const records = await appendBatch(batch.map((p) => p.entry));
        batch.forEach((p, i) => p.done(records[i] as AuditRecord));
      } catch (err) {
        if (batch.length === 1) batch[0]?.fail(err);
        // One bad entry must not fail the others: go again one by one.
        else
          for (const p of batch) {
            await appendBatch([p.entry]).then(([r]) => p.done(r as AuditRecord), p.fail);
          }
      }
    }
    draining = false;
  }

  return {
    append(entry) {
      return new Promise<AuditRecord>((done, fail) => {
        pending.push({ entry, done, fail });
        void drain();
      });
    },

    inTransaction: database.dialect === 'sqlite',

    appendIn(trx, entries) {
      if (database.dialect !== 'sqlite')
        return Promise.reject(new Error('appendIn needs SQLite (its transactions serialize every writer)'));
      return writeEntries(trx, seal(entries));
    },

    async list(query) {
      const limit = query.limit ?? 100;
      const rows = await repo.list({ ...query, limit });
      const last = rows[rows.length - 1];
      return {
        records: rows.map(toRecord),
        nextBeforeSeq: rows.length === limit && last ? Number(last.seq) : null,
      };
    },

    async listAscending(filter, afterSeq) {
      const rows = await repo.list({ ...filter, afterSeq });
      return rows.map(toRecord);
    },

    async verify() {
      let prev = { seq: 0, hash: GENESIS_HASH };
      let checked = 0;
      for (;;) {
        const rows = (await repo.run(prev.seq, VERIFY_RUN)).map(rowToChained);
        if (rows.length === 0) break;
        const broken = checkRun(prev, rows);
        if (broken) {
          return {
            ok: false,
            checked,
            firstBadSeq: broken.seq,
            reason: broken.reason,
            headSeq: prev.seq,
            headHash: prev.hash,
          };
        }
        checked += rows.length;
        const last = rows[rows.length - 1] as { seq: number; hash: string };
        prev = { seq: last.seq, hash: last.hash };
      }
      return { ok: true, checked, firstBadSeq: null, reason: null, headSeq: prev.seq, headHash: prev.hash };
    },
  };
}
