import type { Keyring } from '../../platform/crypto/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditLog } from '../audit/index.ts';
import type { MessageRow } from './messages.codec.ts';

/** What the MAC of a migrated row holds until the startup backfill gives it a real one. */
export const LEGACY_MAC = 'legacy';

/** The columns the MAC covers. */
export type MacFields = Omit<MessageRow, 'mac' | 'client_hash' | 'updated_at' | 'version'>;

/** Why a row failed its check: recorded in the audit entry. */
export type TamperReason = 'mac mismatch' | 'legacy mac after backfill' | 'unreadable content';

const nullable = (v: number | null) => (v === null ? null : Number(v));

/**
 * The text the MAC is computed over: every column that changes what a reader sees (place, author,
 * kind, the sealed content and extra, mentions, times, recall and file-expired state). Not
 * `version` and `updated_at` (sync bookkeeping that reactions move: reactions live in their own
 * table) nor `client_hash` (retry matching). JSON of an array: unambiguous with nulls and any text.
 */
function canonical(r: MacFields): string {
  return JSON.stringify([
    'v1',
    r.conversation_id,
    Number(r.seq),
    r.id,
    r.client_id,
    r.sender_id,
    r.kind,
    r.content_enc,
    r.mentions,
    r.extra_enc,
    Number(r.created_at),
    nullable(r.edited_at),
    nullable(r.recalled_at),
    Number(r.file_expired),
  ]);
}

/**
 * Per-message MACs: one HMAC-SHA256 (the keyring's index key, domain 'message-mac') per row written
 * and per row read. The index key is never rotated (lookups depend on it), so MACs stay valid.
 */
export class MessageIntegrity {
  /**
   * Rows written before migration 0019 carry 'legacy' until the startup backfill replaces it; they
   * are shown unverified until the backfill is known to be done, and count as tampered after (a
   * forger could otherwise write 'legacy' to skip the check). Unknown (true) until the backfill
   * state is read at startup, so a migrated database does not flag its old rows meanwhile.
   */
  private legacyAccepted = true;

  constructor(private readonly keyring: Keyring) {}

  mac(row: MacFields): string {
    return this.keyring.blindIndex('message-mac', canonical(row));
  }

  /** Null when the row may be shown; otherwise why not. */
  check(row: MessageRow): TamperReason | null {
    if (row.mac === LEGACY_MAC) return this.legacyAccepted ? null : 'legacy mac after backfill';
    return row.mac === this.mac(row) ? null : 'mac mismatch';
  }

  /** The backfill is done: from now on a 'legacy' MAC is a forged one. */
  backfillDone(): void {
    this.legacyAccepted = false;
  }
}

/** A row that failed its check, as found by a read. */
export interface TamperedRow {
  row: MessageRow;
  reason: TamperReason;
}

/**
 * Appends `security.message_tampered` to the audit log once per message (conversation and seq):
 * remembered in this process, and looked up in the log before the first report after a restart.
 * Two nodes reading the same message at the same moment may both report it.
 */
export class TamperReporter {
  private readonly reported = new Map<string, Promise<void>>();

  constructor(
    private readonly audit: AuditLog | undefined,
    private readonly log: Logger,
  ) {}

  /** Resolves once each row is on record; never rejects (a read must not fail for its report). */
  async report(tampered: readonly TamperedRow[]): Promise<void> {
    await Promise.all(
      tampered.map(({ row, reason }) => {
        const subject = `${row.conversation_id}:${Number(row.seq)}`;
        let done = this.reported.get(subject);
        if (!done) {
          done = this.record(subject, row, reason).catch((err: unknown) => {
            // Not on record: let a later read try again.
            this.reported.delete(subject);
            this.log.error({ err, subject }, 'recording a tampered message failed');
          });
          this.reported.set(subject, done);
        }
        return done;
      }),
    );
  }

  private async record(subject: string, row: MessageRow, reason: TamperReason): Promise<void> {
    this.log.warn({ subject, reason }, 'message failed its integrity check');
    if (!this.audit) return;
    const action = 'security.message_tampered';
    const prior = await this.audit.list({ category: 'security', action, subject, limit: 1 });
    if (prior.records.length > 0) return;
    await this.audit.append({
      category: 'security',
      action,
      actorId: null,
      subject,
      conversationId: row.conversation_id,
      // What the row claims now (possibly forged): helps whoever investigates find the original.
      details: { reason, messageId: row.id, seq: Number(row.seq), senderId: row.sender_id, kind: row.kind },
    });
  }
}
