import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { normalizePhone } from './phone.ts';
import type { UserFilter, UserOrder, UserRecord, UserStatus, UsersRepo } from './users.repo.ts';

/** The nickname a purged account shows (messages it sent stay and name it). */
export const PURGED_NICKNAME = '已注销用户';

export interface UserSearch {
  /** A phone number (exact), a 致信号 or part of a nickname. */
  text?: string;
  role?: Role;
  status?: UserStatus;
  /** Only these users (a department's members), when given. */
  within?: ReadonlySet<string>;
  order: UserOrder;
  offset: number;
  limit: number;
}

/** What the console may do to user records; staff checks are the caller's. */
export interface UsersAdmin {
  search(s: UserSearch): Promise<{ records: UserRecord[]; total: number }>;
  records(ids: readonly string[]): Promise<UserRecord[]>;
  /** Every user after `after` in id order (screening pages through everyone). */
  scan(after: string | null, limit: number): Promise<UserRecord[]>;
  /** LAST_ADMIN when it would leave no active administrator; NOT_FOUND for an unknown id. */
  setRole(userId: string, role: Role): Promise<void>;
  /** Active administrators. */
  countAdmins(): Promise<number>;
  /** Replace the profile of a (deactivated) user; the phone number is freed. */
  purge(userId: string): Promise<void>;
}

function phoneOf(text: string): string | null {
  try {
    return normalizePhone(text);
  } catch {
    return null;
  }
}

function matchesText(u: UserRecord, needle: string): boolean {
  return u.nickname.toLowerCase().includes(needle) || (u.account?.toLowerCase().includes(needle) ?? false);
}

export function createUsersAdmin(repo: UsersRepo): UsersAdmin {
  return {
    async search(s) {
      const filter: UserFilter = {
        ...(s.role !== undefined ? { role: s.role } : {}),
        ...(s.status !== undefined ? { status: s.status } : {}),
      };
      const phone = s.text === undefined ? null : phoneOf(s.text);
      if (phone !== null) filter.phone = phone;
      const text = phone === null && s.text !== undefined ? s.text.trim().toLowerCase() : '';
      if (!text && !s.within) {
        const [records, total] = await Promise.all([
          repo.page(filter, s.order, s.offset, s.limit),
          repo.count(filter),
        ]);
        return { records, total };
      }
      // Nicknames are sealed: text and department filters are applied here, over the SQL-filtered rows.
      const all = (await repo.page(filter, s.order, 0, null)).filter(
        (u) => (!s.within || s.within.has(u.id)) && (!text || matchesText(u, text)),
      );
      return { records: all.slice(s.offset, s.offset + s.limit), total: all.length };
    },
    records: (ids) => repo.byIds(ids),
    scan: (after, limit) => repo.scanAfter(after, limit),
    async setRole(userId, role) {
      const u = await repo.byId(userId);
      if (!u) throw AppError.notFound('user');
      if (u.role === role) return;
      if (u.role === 'admin' && u.status === 'active' && (await repo.countAdmins()) <= 1) {
        throw new AppError('LAST_ADMIN');
      }
      await repo.setRole(userId, role, Date.now());
    },
    countAdmins: () => repo.countAdmins(),
    async purge(userId) {
      const u = await repo.byId(userId);
      if (!u) throw AppError.notFound('user');
      const digest = createHash('sha256').update(u.phone).digest('hex');
      await repo.purge(
        userId,
        {
          nickname: PURGED_NICKNAME,
          // Not a phone number any more: a digest, so the record cannot be tied back to the person.
          phoneReplacement: `purged:${digest.slice(0, 16)}`,
          phoneIndexReplacement: `purged:${randomBytes(16).toString('hex')}`,
        },
        Date.now(),
      );
    },
  };
}
