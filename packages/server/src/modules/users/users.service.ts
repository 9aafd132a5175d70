import type { Me, PublicProfile, Role, UpdateProfileBody } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import type { ImagesService } from '../images/index.ts';
import { createUsersAdmin, type UsersAdmin } from './users.admin.ts';
import { normalizePhone } from './phone.ts';
import type { UserRecord, UserStatus, UsersRepo } from './users.repo.ts';

/** What the auth module needs to know about an account (never sent to clients as is). */
export type Account = Pick<UserRecord, 'id' | 'phone' | 'passwordHash' | 'role' | 'status' | 'nickname'>;

export interface NewAccount {
  /** Any accepted form; stored as E.164. */
  phone: string;
  passwordHash: string;
  nickname: string;
  role: Role;
}

/** Told of each new account; must not throw (it is awaited by the account's creation). */
export type AccountCreatedListener = (account: Account) => Promise<void>;

/** Most ids one profiles request may name. */
export const MAX_PROFILE_IDS = 200;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface UsersService {
  /** The ids among `ids` that belong to existing, active users. */
  existing(ids: readonly string[]): Promise<Set<string>>;
  me(userId: string): Promise<Me>;
  /** IMAGE_NOT_FOUND when `avatarFileId` names no image I uploaded; VALIDATION_FAILED for a blank nickname. */
  updateMe(userId: string, patch: UpdateProfileBody): Promise<Me>;
  /** Public profiles of the users that exist among `ids` (disabled ones too: old messages name them). */
  profiles(ids: readonly string[]): Promise<PublicProfile[]>;
  /** The active user with this phone; NOT_FOUND otherwise. */
  lookupByPhone(phone: string): Promise<PublicProfile>;
  /** The active user with this 致信号 (any case), or null. */
  findByAccount(account: string): Promise<PublicProfile | null>;
  /** Set my 致信号; ACCOUNT_TAKEN when someone else holds it in any case. */
  setAccount(userId: string, account: string): Promise<Me>;

  // Accounts: for the auth module, which owns credentials and sessions.
  accountByPhone(phone: string): Promise<Account | null>;
  account(userId: string): Promise<Account | null>;
  /** Throws PHONE_TAKEN. Does not check the license: the caller decides. */
  createAccount(input: NewAccount): Promise<Account>;
  /**
   * Run `listener` after each account this process creates, before `createAccount` returns (so a
   * new user's first sign-in sees what it sets up). A listener's failure is its own to handle.
   */
  onAccountCreated(listener: AccountCreatedListener): void;
  setPasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Returns false when there is no such user. */
  setStatus(userId: string, status: UserStatus): Promise<boolean>;
  /** Record activity (login, token refresh). */
  touch(userId: string): Promise<void>;
  /** Users that hold a license seat: every user not disabled. */
  countActive(): Promise<number>;
  hasAdmin(): Promise<boolean>;

  // Official accounts (the operations account): shown with a badge, in everyone's contacts.
  /** Mark a user as official in this process (the operations module does, at start). */
  markOfficial(userId: string): void;
  /** Ids of the official accounts. */
  officialIds(): string[];
  /** Active user ids after `after` in id order (paging through everyone). */
  activeIdsAfter(after: string | null, limit: number): Promise<string[]>;
  /** Ids of the accounts not deactivated (a disabled one may come back), after `after` in id order. */
  accountIdsAfter(after: string | null, limit: number): Promise<string[]>;
  /** Ids of the active administrators. */
  adminIds(): Promise<string[]>;
  /** The console's view of user records (search, roles, purge). */
  readonly admin: UsersAdmin;
}

function toPublic(u: UserRecord): PublicProfile {
  return {
    id: u.id,
    nickname: u.nickname,
    avatarFileId: u.avatarFileId,
    signature: u.signature,
    account: u.account,
  };
}

function toMe(u: UserRecord): Me {
  return { ...toPublic(u), phone: u.phone, role: u.role, createdAt: u.createdAt };
}

function toAccount(u: UserRecord): Account {
  return {
    id: u.id,
    phone: u.phone,
    passwordHash: u.passwordHash,
    role: u.role,
    status: u.status,
    nickname: u.nickname,
  };
}

/** Split, trim and check a list of user ids; VALIDATION_FAILED when malformed or over the limit. */
export function parseIdList(raw: string): string[] {
  const ids = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (ids.length === 0 || ids.length > MAX_PROFILE_IDS) {
    throw AppError.validation([{ path: '/ids', message: `between 1 and ${MAX_PROFILE_IDS} ids` }]);
  }
  const bad = ids.find((id) => !ID_PATTERN.test(id));
  if (bad !== undefined) throw AppError.validation([{ path: '/ids', message: 'malformed id' }]);
  return ids;
}

export function createUsersService(
  repo: UsersRepo,
  images: Pick<ImagesService, 'requireOwned'>,
): UsersService {
  const official = new Set<string>();
  const createdListeners: AccountCreatedListener[] = [];
  const withBadge = (p: PublicProfile): PublicProfile => (official.has(p.id) ? { ...p, official: true } : p);

  async function mustGet(userId: string): Promise<UserRecord> {
    const u = await repo.byId(userId);
    if (!u) throw AppError.notFound('user');
    return u;
  }

  return {
    async existing(ids) {
      return new Set(await repo.activeIds([...new Set(ids)]));
    },
    async me(userId) {
      return toMe(await mustGet(userId));
    },
    async updateMe(userId, patch) {
      await mustGet(userId);
      const clean = {
        ...patch,
        ...(patch.nickname !== undefined ? { nickname: patch.nickname.trim() } : {}),
      };
      if (clean.nickname === '')
        throw AppError.validation([{ path: '/nickname', message: 'must not be blank' }]);
      // Only one's own upload: an avatar must not point at someone else's (or no) image.
      if (clean.avatarFileId) await images.requireOwned(userId, clean.avatarFileId);
      await repo.updateProfile(userId, clean, Date.now());
      return toMe(await mustGet(userId));
    },
    async profiles(ids) {
      return (await repo.byIds(ids)).map((u) => withBadge(toPublic(u)));
    },
    async lookupByPhone(phone) {
      const u = await repo.byPhone(normalizePhone(phone));
      if (!u || u.status !== 'active') throw AppError.notFound('user');
      return toPublic(u);
    },
    async findByAccount(account) {
      const u = await repo.byAccount(account);
      return u && u.status === 'active' ? toPublic(u) : null;
    },
    async setAccount(userId, account) {
      const current = await mustGet(userId);
      if (current.account !== account) await repo.setAccount(userId, account, Date.now());
      return toMe(await mustGet(userId));
    },
    async accountByPhone(phone) {
      const u = await repo.byPhone(normalizePhone(phone));
      return u ? toAccount(u) : null;
    },
    async account(userId) {
      const u = await repo.byId(userId);
      return u ? toAccount(u) : null;
    },
    async createAccount(input) {
      const nickname = input.nickname.trim();
      if (!nickname) throw AppError.validation([{ path: '/nickname', message: 'must not be blank' }]);
      const u = await repo.insert({
        id: newId(),
        phone: normalizePhone(input.phone),
        passwordHash: input.passwordHash,
        nickname,
        role: input.role,
        now: Date.now(),
      });
      const account = toAccount(u);
      for (const listener of createdListeners) await listener(account);
      return account;
    },
    onAccountCreated(listener) {
      createdListeners.push(listener);
    },
    setPasswordHash: (userId, hash) => repo.setPasswordHash(userId, hash, Date.now()),
    setStatus: (userId, status) => repo.setStatus(userId, status, Date.now()),
    touch: (userId) => repo.touch(userId, Date.now()),
    countActive: () => repo.countActive(),
    hasAdmin: () => repo.hasAdmin(),
    markOfficial: (userId) => {
      official.add(userId);
    },
    officialIds: () => [...official],
    activeIdsAfter: (after, limit) => repo.activeIdsAfter(after, limit),
    accountIdsAfter: (after, limit) => repo.accountIdsAfter(after, limit),
    adminIds: () => repo.adminIds(),
    admin: createUsersAdmin(repo),
  };
}
