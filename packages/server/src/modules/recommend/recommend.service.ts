import type { RecommendationList } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { ContactsService } from '../contacts/index.ts';
import type { Caller, ConversationsService } from '../conversations/index.ts';
import type { DirectoryService } from '../directory/index.ts';
import type { FriendsService } from '../friends/index.ts';
import type { UsersService } from '../users/index.ts';
import { rank, type CandidateSignals, type RankedCandidate } from './recommend.rank.ts';
import type { RecommendRepo } from './recommend.repo.ts';

/**
 * Bounds on the work of one (uncached) call, whatever the size of the organisation: friends whose
 * friends are looked at, groups looked at, group size, department members, candidates kept.
 */
export const LIMITS = {
  friends: 200,
  groups: 50,
  groupSize: 500,
  departmentMembers: 200,
  kept: 200,
  cacheMs: 5 * 60_000,
  cachedUsers: 10_000,
} as const;

const DEFAULT_LIMIT = 20;

export interface RecommendService {
  recommendations(caller: Caller, limit?: number): Promise<RecommendationList>;
  /** NOT_FOUND for an unknown user; dismissing oneself is a VALIDATION_FAILED. */
  dismiss(caller: Caller, userId: string): Promise<void>;
}

export interface RecommendServiceDeps {
  repo: RecommendRepo;
  users: Pick<UsersService, 'existing' | 'profiles' | 'officialIds'>;
  contacts: Pick<ContactsService, 'contactIdsOf'>;
  conversations: Pick<ConversationsService, 'groupIdsOf' | 'membership'>;
  directory: Pick<DirectoryService, 'userDepartments' | 'members'>;
  friends: Pick<FriendsService, 'requests' | 'isBlocked'>;
  now?: () => number;
}

function signalsOf(map: Map<string, CandidateSignals>, id: string): CandidateSignals {
  let s = map.get(id);
  if (!s) {
    s = { mutualFriends: 0, sharedGroups: 0, department: null };
    map.set(id, s);
  }
  return s;
}

export function createRecommendService(d: RecommendServiceDeps): RecommendService {
  const now = d.now ?? Date.now;
  // Per node: ranking is the costly part, exclusions are re-applied on every call.
  // Keyed by the friend list too: a new friend changes the ranking at once, not minutes later.
  const cache = new Map<string, { at: number; friendsKey: string; ranked: RankedCandidate[] }>();

  async function friendIdsOf(userId: string, official: ReadonlySet<string>): Promise<string[]> {
    const ids = (await d.contacts.contactIdsOf([userId])).get(userId) ?? [];
    return ids.filter((id) => !official.has(id));
  }

  async function gather(
    userId: string,
    official: ReadonlySet<string>,
    myFriends: readonly string[],
  ): Promise<RankedCandidate[]> {
    const signals = new Map<string, CandidateSignals>();
    const friends = myFriends.slice(0, LIMITS.friends);
    for (const ids of (await d.contacts.contactIdsOf(friends)).values()) {
      for (const id of ids) signalsOf(signals, id).mutualFriends++;
    }
    const groups = ((await d.conversations.groupIdsOf([userId])).get(userId) ?? []).slice(0, LIMITS.groups);
    for (const groupId of groups) {
      const m = await d.conversations.membership(groupId);
      if (!m || m.memberIds.length > LIMITS.groupSize) continue;
      for (const id of m.memberIds) signalsOf(signals, id).sharedGroups++;
    }
    const { departments } = await d.directory.userDepartments(userId);
    const primary = departments.find((x) => x.primary) ?? departments[0];
    if (primary) {
      const page = await d.directory.members({
        departmentId: primary.departmentId,
        limit: LIMITS.departmentMembers,
      });
      const name = primary.path[primary.path.length - 1] ?? '';
      for (const m of page.members) signalsOf(signals, m.profile.id).department = name;
    }
    signals.delete(userId);
    for (const id of official) signals.delete(id);
    return rank(signals).slice(0, LIMITS.kept);
  }

  async function ranked(
    userId: string,
    official: ReadonlySet<string>,
    friends: readonly string[],
  ): Promise<RankedCandidate[]> {
    const friendsKey = [...friends].sort().join(',');
    const hit = cache.get(userId);
    if (hit && hit.friendsKey === friendsKey && now() - hit.at < LIMITS.cacheMs) return hit.ranked;
    const fresh = await gather(userId, official, friends);
    cache.delete(userId);
    if (cache.size >= LIMITS.cachedUsers) cache.delete(cache.keys().next().value as string);
    cache.set(userId, { at: now(), friendsKey, ranked: fresh });
    return fresh;
  }

  /** Everyone never to suggest now: friends, dismissed, pending requests either way. */
  async function excluded(caller: Caller, friends: readonly string[]): Promise<Set<string>> {
    const [dismissed, requests] = await Promise.all([
      d.repo.dismissed(caller.userId),
      d.friends.requests(caller),
    ]);
    const out = new Set([...friends, ...dismissed]);
    const t = now();
    for (const r of [...requests.incoming, ...requests.outgoing]) {
      if (r.status === 'pending' && r.expiresAt > t)
        out.add(r.fromUserId === caller.userId ? r.toUserId : r.fromUserId);
    }
    return out;
  }

  return {
    async recommendations(caller, limit = DEFAULT_LIMIT) {
      const official = new Set(d.users.officialIds());
      const friends = await friendIdsOf(caller.userId, official);
      const [all, skip] = await Promise.all([
        ranked(caller.userId, official, friends),
        excluded(caller, friends),
      ]);
      const open = all.filter((c) => !skip.has(c.userId));
      const active = await d.users.existing(open.map((c) => c.userId));
      const picked: RankedCandidate[] = [];
      for (const c of open) {
        if (picked.length >= limit) break;
        if (!active.has(c.userId)) continue;
        const [mine, theirs] = await Promise.all([
          d.friends.isBlocked(caller.userId, c.userId),
          d.friends.isBlocked(c.userId, caller.userId),
        ]);
        if (!mine && !theirs) picked.push(c);
      }
      const profiles = new Map((await d.users.profiles(picked.map((c) => c.userId))).map((p) => [p.id, p]));
      return {
        items: picked.flatMap((c) => {
          const user = profiles.get(c.userId);
          return user ? [{ user, score: c.score, reasons: c.reasons }] : [];
        }),
      };
    },

    async dismiss(caller, userId) {
      if (userId === caller.userId)
        throw AppError.validation([{ path: '/userId', message: 'cannot dismiss yourself' }]);
      if (!(await d.users.profiles([userId])).length) throw AppError.notFound('user');
      await d.repo.dismiss(caller.userId, userId, now());
    },
  };
}
