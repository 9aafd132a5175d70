import type {
  ScreeningApplyResult,
  ScreeningCandidate,
  ScreeningPreview,
  ScreeningRule,
  ScreeningRules,
} from '@zhixin/protocol';
import type { AuditLog } from '../audit/index.ts';
import type { AuthService } from '../auth/index.ts';
import type { DirectoryService } from '../directory/index.ts';
import type { UserRecord, UsersService } from '../users/index.ts';
import type { UserPresenter } from './admin.present.ts';

const DAY_MS = 86_400_000;
const SCAN_CHUNK = 1000;
const MAINLAND_MOBILE = /^1[3-9][0-9]{9}$/;

/**
 * The subscriber a phone number reaches, for the duplicate-phone rule: a mainland mobile number is
 * its 11 digits with or without +86 (`+8613812345678` and a mistyped `+13812345678` are one person
 * imported twice); any other number is itself.
 */
export function phoneKey(e164: string): string | null {
  if (!e164.startsWith('+')) return null; // a purged record
  const digits = e164.slice(1);
  const tail = digits.slice(-11);
  const mainland = digits.length === 11 || (digits.length === 13 && digits.startsWith('86'));
  return mainland && MAINLAND_MOBILE.test(tail) ? tail : e164;
}

/** Staff and official accounts are never screened; deactivated users already are. */
function eligible(u: UserRecord, official: ReadonlySet<string>): boolean {
  return u.role === 'user' && u.status !== 'deactivated' && !official.has(u.id);
}

/** Of accounts sharing one number, the one to keep: the most recently active, then the oldest. */
function keeperFirst(a: UserRecord, b: UserRecord): number {
  const byActive = (b.lastActiveAt ?? -1) - (a.lastActiveAt ?? -1);
  return byActive !== 0 ? byActive : a.createdAt - b.createdAt;
}

export interface ScreeningDeps {
  users: UsersService;
  auth: AuthService;
  directory: DirectoryService;
  audit: AuditLog;
  present: UserPresenter;
  now?: () => number;
}

/** Invalid-user screening (R-C2): a reviewable dry run, then deactivation (seats freed), keeping or purging. */
export class Screening {
  constructor(private readonly d: ScreeningDeps) {}

  private async everyone(): Promise<UserRecord[]> {
    const out: UserRecord[] = [];
    for (let after: string | null = null; ;) {
      const chunk = await this.d.users.admin.scan(after, SCAN_CHUNK);
      out.push(...chunk);
      if (chunk.length < SCAN_CHUNK) return out;
      after = chunk[chunk.length - 1]!.id;
    }
  }

  async preview(rules: ScreeningRules): Promise<ScreeningPreview> {
    const now = (this.d.now ?? Date.now)();
    const official = new Set(this.d.users.officialIds());
    const all = (await this.everyone()).filter((u) => u.status !== 'deactivated');
    const left = rules.leftOrganisation
      ? await this.d.directory.departures.allLeft()
      : new Map<string, number>();
    const matched = new Map<string, ScreeningRule[]>();
    const add = (id: string, rule: ScreeningRule) => matched.set(id, [...(matched.get(id) ?? []), rule]);

    for (const u of all) {
      if (!eligible(u, official)) continue;
      const { neverActivatedDays: never, inactiveDays: inactive } = rules;
      if (never !== undefined && u.lastActiveAt === null && u.createdAt <= now - never * DAY_MS) {
        add(u.id, 'neverActivated');
      }
      if (inactive !== undefined && u.lastActiveAt !== null && u.lastActiveAt <= now - inactive * DAY_MS) {
        add(u.id, 'inactive');
      }
      if (rules.disabled && u.status === 'disabled') add(u.id, 'disabled');
      if (rules.leftOrganisation && left.has(u.id)) add(u.id, 'leftOrganisation');
    }
    if (rules.duplicatePhone) {
      const byKey = new Map<string, UserRecord[]>();
      for (const u of all) {
        const key = phoneKey(u.phone);
        if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), u]);
      }
      for (const group of byKey.values()) {
        if (group.length < 2) continue;
        for (const u of group.sort(keeperFirst).slice(1))
          if (eligible(u, official)) add(u.id, 'duplicatePhone');
      }
    }
    const records = all.filter((u) => matched.has(u.id)).sort((a, b) => a.createdAt - b.createdAt);
    const presented = await this.d.present.present(records);
    const candidates: ScreeningCandidate[] = presented.map((user) => ({
      user,
      rules: matched.get(user.id) ?? [],
    }));
    return { candidates, scanned: all.filter((u) => eligible(u, official)).length };
  }

  /** Deactivate (sessions end, seat freed); `purge` also replaces the profile. Messages stay. */
  async apply(
    actorId: string,
    userIds: readonly string[],
    policy: 'keep' | 'purge',
  ): Promise<ScreeningApplyResult> {
    const official = new Set(this.d.users.officialIds());
    const records = new Map((await this.d.users.admin.records(userIds)).map((u) => [u.id, u]));
    const deactivated: string[] = [];
    const skipped: string[] = [];
    for (const id of userIds) {
      const u = records.get(id);
      if (!u || !eligible(u, official)) {
        skipped.push(id);
        continue;
      }
      await this.d.users.setStatus(id, 'deactivated');
      await this.d.auth.revokeUserSessions(id, 'deactivated_by_screening');
      if (policy === 'purge') await this.d.users.admin.purge(id);
      deactivated.push(id);
    }
    await this.d.audit.append({
      category: 'admin',
      action: 'admin.screening.deactivated',
      actorId,
      targetIds: deactivated,
      details: { policy, deactivated, skipped },
    });
    return { deactivated, skipped, policy };
  }
}
