import type { AuditCategory, AuditPage, AuditQuery, AuditRecord, AuditVerification } from '@zhixin/protocol';
import { isUniqueViolation, writeTransaction, type Database } from '../../platform/db/index.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { chainHash, checkRun, GENESIS_HASH } from './audit.chain.ts';
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

export function createAuditLog(
  database: Database,
  keyring: Keyring,
  clock: () => number = Date.now,
): AuditLog {
  const repo = new AuditRepo(database.db);
  // Appends of this process go one at a time (they would only collide on the seq); other processes
  // of a cluster collide rarely and retry on the primary key.
  let tail: Promise<unknown> = Promise.resolve();

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

  async function appendOnce(entry: AuditEntry): Promise<AuditRecord> {
    const detailsEnc = keyring.seal(JSON.stringify(entry.details ?? {}), DETAILS_CONTEXT);
    const targetIds = JSON.stringify(entry.targetIds ?? []);
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeTransaction(database.db, database.dialect, async (trx) => {
          const head = await repo.head(trx);
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
          await repo.insert(trx, { ...fields, hash });
          return {
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
          };
        });
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= APPEND_ATTEMPTS) throw err;
      }
    }
  }

  return {
    append(entry) {
      const result = tail.then(() => appendOnce(entry));
      tail = result.catch(() => undefined);
      return result;
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
