import type { Role } from '@zhixin/protocol';
import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../../errors.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import { isUniqueViolation, type DB } from '../../platform/db/index.ts';

export type UserStatus = 'active' | 'disabled' | 'deactivated';

/** A user as the rest of the code sees it: decrypted, camel-cased. */
export interface UserRecord {
  id: string;
  /** E.164. */
  phone: string;
  passwordHash: string;
  nickname: string;
  avatarFileId: string | null;
  signature: string;
  role: Role;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
  lastActiveAt: number | null;
  /** The 致信号 as the user typed it, or null while unset. */
  account: string | null;
}

export interface NewUserRow {
  id: string;
  phone: string;
  passwordHash: string;
  nickname: string;
  role: Role;
  now: number;
}

export interface ProfilePatch {
  nickname?: string;
  avatarFileId?: string | null;
  signature?: string;
}

/** Filters of the console's user search that SQL applies (text and departments are matched by the caller). */
export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  /** Exact phone (E.164). */
  phone?: string;
}

export interface UserOrder {
  sort: 'createdAt' | 'lastActiveAt';
  order: 'asc' | 'desc';
}

/** What a purged profile becomes: the account stays (messages name it), the person is gone. */
export interface PurgedProfile {
  nickname: string;
  /** Stored sealed in place of the phone; its blind index is random, so the number may register again. */
  phoneReplacement: string;
  phoneIndexReplacement: string;
}

// Seal contexts bind each ciphertext to its column, so one cannot be pasted into another.
const CTX = { phone: 'users.phone', nickname: 'users.nickname', signature: 'users.signature' } as const;

/** The users table: the only place with its SQL. Encrypts and decrypts the sensitive columns. */
export class UsersRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  /** Blind index of an E.164 phone, for equality lookups on the encrypted column. */
  phoneIndex(phone: string): string {
    return this.keyring.blindIndex('phone', phone);
  }

  private toRecord(row: Selectable<DB['users']>): UserRecord {
    return {
      id: row.id,
      phone: this.keyring.open(row.phone_enc, CTX.phone),
      passwordHash: row.password_hash,
      nickname: this.keyring.open(row.nickname_enc, CTX.nickname),
      avatarFileId: row.avatar_file_id,
      signature: this.keyring.open(row.signature_enc, CTX.signature),
      role: row.role,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      lastActiveAt: row.last_active_at,
      account: row.account,
    };
  }

  /** Throws PHONE_TAKEN when the phone is already registered. */
  async insert(u: NewUserRow): Promise<UserRecord> {
    const row = {
      id: u.id,
      phone_enc: this.keyring.seal(u.phone, CTX.phone),
      phone_index: this.phoneIndex(u.phone),
      password_hash: u.passwordHash,
      nickname_enc: this.keyring.seal(u.nickname, CTX.nickname),
      avatar_file_id: null,
      signature_enc: this.keyring.seal('', CTX.signature),
      role: u.role,
      status: 'active' as const,
      created_at: u.now,
      updated_at: u.now,
      last_active_at: null,
      account: null,
      account_key: null,
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('PHONE_TAKEN');
      throw err;
    }
    return this.toRecord(row);
  }

  async byId(id: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  async byPhone(phone: string): Promise<UserRecord | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('phone_index', '=', this.phoneIndex(phone))
      .executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  /** By 致信号, regardless of case. */
  async byAccount(account: string): Promise<UserRecord | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('account_key', '=', account.toLowerCase())
      .executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  /** Throws ACCOUNT_TAKEN when another user holds the same 致信号 in any case. */
  async setAccount(id: string, account: string, now: number): Promise<void> {
    try {
      await this.db
        .updateTable('users')
        .set({ account, account_key: account.toLowerCase(), updated_at: now })
        .where('id', '=', id)
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('ACCOUNT_TAKEN');
      throw err;
    }
  }

  async byIds(ids: readonly string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => this.toRecord(r));
  }

  async activeIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', [...ids])
      .where('status', '=', 'active')
      .execute();
    return rows.map((r) => r.id);
  }

  async updateProfile(id: string, patch: ProfilePatch, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        updated_at: now,
        ...(patch.nickname !== undefined
          ? { nickname_enc: this.keyring.seal(patch.nickname, CTX.nickname) }
          : {}),
        ...(patch.signature !== undefined
          ? { signature_enc: this.keyring.seal(patch.signature, CTX.signature) }
          : {}),
        ...(patch.avatarFileId !== undefined ? { avatar_file_id: patch.avatarFileId } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async setPasswordHash(id: string, passwordHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async setStatus(id: string, status: UserStatus, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('users')
      .set({ status, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable('users').set({ last_active_at: now }).where('id', '=', id).execute();
  }

  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    // PostgreSQL's count() is a bigint, which pg returns as a string.
    return Number(row.n);
  }

  /** Active user ids after `after` in id order, at most `limit` (paging through everyone). */
  /** Ids of accounts not deactivated (active or disabled), after `after` in id order. */
  async accountIdsAfter(after: string | null, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('users').select('id').where('status', '<>', 'deactivated');
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async activeIdsAfter(after: string | null, limit: number): Promise<string[]> {
    let q = this.db.selectFrom('users').select('id').where('status', '=', 'active');
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the active administrators. */
  async adminIds(): Promise<string[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .execute();
    return rows.map((r) => r.id);
  }

  async hasAdmin(): Promise<boolean> {
    const row = await this.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  // The console (users administration, invalid-user screening).

  private filtered(f: UserFilter) {
    let q = this.db.selectFrom('users');
    if (f.role !== undefined) q = q.where('role', '=', f.role);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.phone !== undefined) q = q.where('phone_index', '=', this.phoneIndex(f.phone));
    return q;
  }

  async count(f: UserFilter): Promise<number> {
    const row = await this.filtered(f)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** One page in the given order (ties by id); `limit` null: every matching user. */
  async page(f: UserFilter, o: UserOrder, offset: number, limit: number | null): Promise<UserRecord[]> {
    const column = o.sort === 'createdAt' ? 'created_at' : 'last_active_at';
    let q = this.filtered(f).selectAll().orderBy(column, o.order).orderBy('id', o.order);
    if (limit !== null) q = q.limit(limit).offset(offset);
    return (await q.execute()).map((r) => this.toRecord(r));
  }

  /** Users after `after` in id order, every status (screening pages through everyone). */
  async scanAfter(after: string | null, limit: number): Promise<UserRecord[]> {
    let q = this.db.selectFrom('users').selectAll();
    if (after !== null) q = q.where('id', '>', after);
    return (await q.orderBy('id').limit(limit).execute()).map((r) => this.toRecord(r));
  }

  async setRole(id: string, role: Role, now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('users')
      .set({ role, updated_at: now })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async countAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Replace the profile of a deactivated user: nickname, phone, avatar, signature, 致信号. */
  async purge(id: string, p: PurgedProfile, now: number): Promise<void> {
    await this.db
      .updateTable('users')
      .set({
        nickname_enc: this.keyring.seal(p.nickname, CTX.nickname),
        phone_enc: this.keyring.seal(p.phoneReplacement, CTX.phone),
        phone_index: p.phoneIndexReplacement,
        password_hash: '',
        avatar_file_id: null,
        signature_enc: this.keyring.seal('', CTX.signature),
        account: null,
        account_key: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }
}
