import { createHash } from 'node:crypto';

/** The hash before the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** A record as stored, minus its own hash: what the hash covers. */
export interface ChainedFields {
  seq: number;
  at: number;
  category: string;
  action: string;
  actorId: string | null;
  subject: string | null;
  conversationId: string | null;
  /** JSON array as stored. */
  targetIds: string;
  deviceId: string | null;
  ip: string | null;
  /** Sealed details as stored. */
  detailsEnc: string;
  prevHash: string;
}

/**
 * sha256 over the previous hash and every stored field, in a fixed order as a JSON array (so no
 * two different records serialise alike). It covers the stored (sealed) details, so verifying needs
 * no key: an auditor can check the chain of a database copy.
 */
export function chainHash(f: ChainedFields): string {
  const canonical = JSON.stringify([
    'zhixin-audit-v1',
    f.prevHash,
    f.seq,
    f.at,
    f.category,
    f.action,
    f.actorId,
    f.subject,
    f.conversationId,
    f.targetIds,
    f.deviceId,
    f.ip,
    f.detailsEnc,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Check one run of stored records (ascending seq) that follows `prev` (the seq and hash of the
 * record before; 0 and GENESIS_HASH at the start). Returns the first break, or null.
 */
export function checkRun(
  prev: { seq: number; hash: string },
  rows: readonly (ChainedFields & { hash: string })[],
): ChainBreak | null {
  let expectSeq = prev.seq + 1;
  let prevHash = prev.hash;
  for (const row of rows) {
    if (row.seq !== expectSeq) return { seq: expectSeq, reason: `record ${expectSeq} is missing` };
    if (row.prevHash !== prevHash) return { seq: row.seq, reason: 'link to the previous record is broken' };
    if (chainHash(row) !== row.hash)
      return { seq: row.seq, reason: 'record content does not match its hash' };
    prevHash = row.hash;
    expectSeq += 1;
  }
  return null;
}
