import type { Kysely } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';

/** A user's code settings: the current version and the chosen validity. */
export interface UserCodeRecord {
  userId: string;
  version: number;
  /** Days; 0 never expires; null follows the server's default. */
  validityDays: number | null;
  issuedAt: number;
}

/** Where a quick-login attempt stands; `done` once the desktop has received its session. */
export type AttemptState = 'pending' | 'scanned' | 'confirmed' | 'declined' | 'done';

export interface AttemptRecord {
  id: string;
  pollHash: string;
  device: { deviceId: string; name: string; platform: string };
  state: AttemptState;
  scannerId: string | null;
  expiresAt: number;
  createdAt: number;
}

export interface TransferRecord {
  id: string;
  creatorId: string;
  targetUserId: string | null;
  conversationId: string | null;
  message: string;
  expiresAt: number | null;
  createdAt: number;
}

const messageContext = (id: string) => `transfer_codes.message:${id}`;
const STATES: ReadonlySet<string> = new Set(['pending', 'scanned', 'confirmed', 'declined', 'done']);

function stateOf(raw: string): AttemptState {
  if (!STATES.has(raw)) throw new Error(`unknown quick-login state ${raw}`);
  return raw as AttemptState;
}

/** The security-codes tables: the only place with their SQL. Transfer messages are sealed. */
export class CodesRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  async userCode(userId: string): Promise<UserCodeRecord | null> {
    const row = await this.db
      .selectFrom('user_codes')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row
      ? {
          userId: row.user_id,
          version: Number(row.version),
          validityDays: row.validity_days === null ? null : Number(row.validity_days),
          issuedAt: Number(row.issued_at),
        }
      : null;
  }

  /** The first code of a user (version 1); a no-op when one exists already. */
  async createUserCode(userId: string, now: number): Promise<void> {
    await this.db
      .insertInto('user_codes')
      .values({ user_id: userId, version: 1, validity_days: null, issued_at: now })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  }

  /** Replace the user's code: a new version issued now; `validityDays` when given. */
  async bumpUserCode(userId: string, validityDays: number | undefined, now: number): Promise<void> {
    await this.createUserCode(userId, now);
    await this.db
      .updateTable('user_codes')
      .set((eb) => ({
        version: eb('version', '+', 1),
        issued_at: now,
        ...(validityDays === undefined ? {} : { validity_days: validityDays }),
      }))
      .where('user_id', '=', userId)
      .execute();
  }

  async insertAttempt(a: AttemptRecord): Promise<void> {
    await this.db
      .insertInto('quick_login_attempts')
      .values({
        id: a.id,
        poll_hash: a.pollHash,
        device_id: a.device.deviceId,
        device_name: a.device.name,
        device_platform: a.device.platform,
        state: a.state,
        scanner_id: a.scannerId,
        expires_at: a.expiresAt,
        created_at: a.createdAt,
        updated_at: a.createdAt,
      })
      .execute();
  }

  async attempt(id: string): Promise<AttemptRecord | null> {
    const row = await this.db
      .selectFrom('quick_login_attempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          pollHash: row.poll_hash,
          device: { deviceId: row.device_id, name: row.device_name, platform: row.device_platform },
          state: stateOf(row.state),
          scannerId: row.scanner_id,
          expiresAt: Number(row.expires_at),
          createdAt: Number(row.created_at),
        }
      : null;
  }

  /**
   * Move an attempt from one of `from` to `to` in one statement, so two phones (or two polls)
   * cannot both win. `scannerId` narrows to attempts scanned by that user (or sets it, with
   * `setScanner`). `notExpiredAt` refuses attempts that expired by then. True when it moved.
   */
  async transition(
    id: string,
    from: readonly AttemptState[],
    to: AttemptState,
    opts: { now: number; scannerId?: string; setScanner?: boolean; notExpiredAt?: number },
  ): Promise<boolean> {
    let q = this.db
      .updateTable('quick_login_attempts')
      .set({
        state: to,
        updated_at: opts.now,
        ...(opts.setScanner && opts.scannerId ? { scanner_id: opts.scannerId } : {}),
      })
      .where('id', '=', id)
      .where('state', 'in', [...from]);
    if (opts.notExpiredAt !== undefined) q = q.where('expires_at', '>', opts.notExpiredAt);
    if (opts.scannerId && !opts.setScanner) q = q.where('scanner_id', '=', opts.scannerId);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Forget attempts that expired before `before` (they can no longer be used anyway). */
  async deleteAttemptsExpiredBefore(before: number): Promise<void> {
    await this.db.deleteFrom('quick_login_attempts').where('expires_at', '<', before).execute();
  }

  async insertTransfer(t: TransferRecord): Promise<void> {
    await this.db
      .insertInto('transfer_codes')
      .values({
        id: t.id,
        creator_id: t.creatorId,
        target_user_id: t.targetUserId,
        conversation_id: t.conversationId,
        message_enc: this.keyring.seal(t.message, messageContext(t.id)),
        expires_at: t.expiresAt,
        created_at: t.createdAt,
      })
      .execute();
  }

  async transfer(id: string): Promise<TransferRecord | null> {
    const row = await this.db
      .selectFrom('transfer_codes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row
      ? {
          id: row.id,
          creatorId: row.creator_id,
          targetUserId: row.target_user_id,
          conversationId: row.conversation_id,
          message: this.keyring.open(row.message_enc, messageContext(row.id)),
          expiresAt: row.expires_at === null ? null : Number(row.expires_at),
          createdAt: Number(row.created_at),
        }
      : null;
  }
}
