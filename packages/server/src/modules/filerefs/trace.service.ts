import type { AuditRecord, FileTrace, FileTraceStep } from '@zhixin/protocol';
import type { AuditLog } from '../audit/index.ts';
import type { FilesService } from '../files/index.ts';

const SHA256 = /^[0-9a-f]{64}$/;
const PAGE = 500;
/** Bounds of one trace: hashes followed and records read. */
const MAX_HASHES = 50;
const MAX_RECORDS = 100_000;

export interface TraceDeps {
  audit: AuditLog;
  files: FilesService;
  /** Hashes linked to a hash (an upload's original and its cleaned copy). */
  linkedHashes(sha256: string): Promise<string[]>;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function stepOf(r: AuditRecord): FileTraceStep {
  return {
    seq: r.seq,
    at: r.at,
    action: r.action,
    actorId: r.actorId,
    conversationId: r.conversationId,
    targetIds: r.targetIds,
    fileId: text(r.details['fileId']),
    deviceId: r.deviceId,
    ip: r.ip,
  };
}

/**
 * A file's whole path (R-T2): every file evidence record of the hash, of the files recorded under
 * it, and of hashes linked to it (an upload's original before its metadata was removed, or the
 * cleaned copy), oldest first. Forwards reference the same file, so they carry the same hash.
 */
export async function traceFile(d: TraceDeps, sha256: string): Promise<FileTrace> {
  const queue = [sha256];
  const seenHashes = new Set(queue);
  const seenFiles = new Set<string>();
  const records = new Map<number, AuditRecord>();
  const follow = (hash: string | null) => {
    if (hash && SHA256.test(hash) && !seenHashes.has(hash) && seenHashes.size < MAX_HASHES) {
      seenHashes.add(hash);
      queue.push(hash);
    }
  };
  for (let hash = queue.shift(); hash !== undefined; hash = queue.shift()) {
    for (const linked of await d.linkedHashes(hash)) follow(linked);
    for (let after = 0; records.size < MAX_RECORDS;) {
      const page = await d.audit.listAscending({ category: 'file', subject: hash, limit: PAGE }, after);
      for (const r of page) {
        records.set(r.seq, r);
        follow(text(r.details['originalSha256']));
        const fileId = text(r.details['fileId']);
        if (fileId && !seenFiles.has(fileId)) {
          seenFiles.add(fileId);
          follow((await d.files.facts(fileId))?.sha256 ?? null);
        }
      }
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) break;
      after = last.seq;
    }
  }
  const steps = [...records.values()].sort((a, b) => a.seq - b.seq).map(stepOf);
  const reached = new Set<string>();
  const conversations = new Set<string>();
  for (const s of steps) {
    if (s.actorId) reached.add(s.actorId);
    for (const id of s.targetIds) reached.add(id);
    if (s.conversationId) conversations.add(s.conversationId);
  }
  return { sha256, steps, reachedUserIds: [...reached], conversationIds: [...conversations] };
}
