import type {
  BlockedUser,
  Contact,
  FriendPrivacy,
  FriendRequest,
  FriendRequestList,
  FriendSearchResult,
  PublicProfile,
  SendFriendRequestResult,
  UpdatePrivacyBody,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { ContactsService } from '../contacts/index.ts';
import type { Caller } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import type { BlockListCache } from './block-cache.ts';
import type { FriendsRepo, RequestRecord } from './friends.repo.ts';

/** A pending request lapses this long after it was last sent. */
export const REQUEST_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const ACCOUNT = /^[A-Za-z][A-Za-z0-9_-]{5,19}$/;

export interface FriendsService {
  /** NOT_FOUND alike for no such user, a user who hides from this kind of search, and myself. */
  search(caller: Caller, query: string): Promise<FriendSearchResult>;
  request(caller: Caller, userId: string, message: string, remark?: string): Promise<SendFriendRequestResult>;
  requests(caller: Caller): Promise<FriendRequestList>;
  accept(caller: Caller, requestId: string, remark?: string): Promise<Contact>;
  decline(caller: Caller, requestId: string): Promise<void>;
  remove(caller: Caller, userId: string): Promise<void>;
  block(caller: Caller, userId: string): Promise<void>;
  unblock(caller: Caller, userId: string): Promise<void>;
  blocked(caller: Caller): Promise<BlockedUser[]>;
  privacy(caller: Caller): Promise<FriendPrivacy>;
  updatePrivacy(caller: Caller, patch: UpdatePrivacyBody): Promise<FriendPrivacy>;
  /** Whether `ownerId` blocked `otherId` (the messages module asks before a direct message). */
  isBlocked(ownerId: string, otherId: string): Promise<boolean>;
  /** Users `userId` blocked or who blocked `userId` (moments hide them from each other). */
  blockedEitherWay(userId: string): Promise<string[]>;
  /** Stop following other nodes' block changes. */
  close(): void;
}

export interface FriendsServiceDeps {
  repo: FriendsRepo;
  /** Block lists, cached: asked before every direct message. */
  blocks: BlockListCache;
  users: Pick<UsersService, 'existing' | 'profiles' | 'lookupByPhone' | 'findByAccount'>;
  contacts: Pick<ContactsService, 'has' | 'link' | 'unlink'>;
  events: EventSink;
  now?: () => number;
}

const noSuchUser = () => new AppError('NOT_FOUND', { what: 'user' }, 'user not found');
const noSuchRequest = () => new AppError('NOT_FOUND', { what: 'friend request' }, 'friend request not found');

/** Friend requests, friendships (as mutual contacts), the block list and who may find or add me. */
export function createFriendsService(d: FriendsServiceDeps): FriendsService {
  const now = d.now ?? Date.now;

  async function profileMap(ids: string[]): Promise<Map<string, PublicProfile>> {
    const unique = [...new Set(ids)];
    const map = new Map<string, PublicProfile>();
    for (let i = 0; i < unique.length; i += 200) {
      for (const p of await d.users.profiles(unique.slice(i, i + 200))) map.set(p.id, p);
    }
    return map;
  }

  /** As `viewerId` sees it: the requester's planned remark stays with the requester. */
  function present(
    r: RequestRecord,
    profiles: Map<string, PublicProfile>,
    viewerId: string,
  ): FriendRequest[] {
    const from = profiles.get(r.fromId);
    const to = profiles.get(r.toId);
    if (!from || !to) return [];
    const lapsed = r.status === 'pending' && r.expiresAt <= now();
    return [
      {
        id: r.id,
        fromUserId: r.fromId,
        toUserId: r.toId,
        message: r.message,
        remark: viewerId === r.fromId ? r.remark : '',
        status: lapsed ? 'expired' : r.status,
        from,
        to,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        expiresAt: r.expiresAt,
      },
    ];
  }

  async function presentFor(r: RequestRecord, viewerId: string): Promise<FriendRequest> {
    const [req] = present(r, await profileMap([r.fromId, r.toId]), viewerId);
    if (!req) throw noSuchRequest();
    return req;
  }

  /** Send each side its own view of the request. */
  async function announce(event: 'friend.request.v1' | 'friend.accepted.v1', r: RequestRecord, to: string[]) {
    const profiles = await profileMap([r.fromId, r.toId]);
    for (const userId of to) {
      const [view] = present(r, profiles, userId);
      if (view) d.events.emit([userId], event, view);
    }
  }

  async function mustBeActive(userId: string): Promise<void> {
    if (!(await d.users.existing([userId])).has(userId)) throw noSuchUser();
  }

  async function pendingToMe(caller: Caller, requestId: string): Promise<RequestRecord> {
    const r = await d.repo.byId(requestId);
    // Someone else's request looks like no request at all.
    if (!r || r.toId !== caller.userId) throw noSuchRequest();
    if (r.status !== 'pending') throw new AppError('FRIEND_REQUEST_HANDLED', { status: r.status });
    if (r.expiresAt <= now()) throw new AppError('FRIEND_REQUEST_EXPIRED');
    return r;
  }

  const service: FriendsService = {
    async search(caller, query) {
      const q = query.trim();
      let found: PublicProfile | null = null;
      let findable: (p: FriendPrivacy) => boolean;
      if (ACCOUNT.test(q)) {
        found = await d.users.findByAccount(q);
        findable = (p) => p.findableByAccount;
      } else {
        found = await d.users.lookupByPhone(q).catch(() => null);
        findable = (p) => p.findableByPhone;
      }
      if (!found || found.id === caller.userId) throw noSuchUser();
      const isFriend = await d.contacts.has(caller.userId, found.id);
      // Friends always find each other; strangers only as the target allows.
      if (!isFriend && !findable(await d.repo.privacy(found.id))) throw noSuchUser();
      if (await d.blocks.isBlocked(found.id, caller.userId)) throw noSuchUser();
      return { profile: found, isFriend };
    },

    async request(caller, userId, message, remark) {
      if (userId === caller.userId) throw new AppError('CONTACT_SELF');
      await mustBeActive(userId);
      // Being blocked answers like an unknown user, so the block is not revealed.
      if (await d.blocks.isBlocked(userId, caller.userId)) throw noSuchUser();
      if ((await d.contacts.has(caller.userId, userId)) && (await d.contacts.has(userId, caller.userId))) {
        throw new AppError('ALREADY_FRIENDS');
      }
      // They already asked me: asking them back is a yes, whatever their add policy says.
      const theirs = await d.repo.between(userId, caller.userId);
      if (theirs?.status === 'pending' && theirs.expiresAt > now()) {
        const contact = await service.accept(caller, theirs.id, remark);
        return { outcome: 'friends', request: null, contact };
      }
      const privacy = await d.repo.privacy(userId);
      if (privacy.addPolicy === 'nobody') throw new AppError('FRIEND_REQUESTS_CLOSED');
      const at = now();
      const record = await d.repo.upsertPending({
        id: newId(),
        fromId: caller.userId,
        toId: userId,
        message: message.trim(),
        remark: remark?.trim(),
        now: at,
        expiresAt: at + REQUEST_TTL_MS,
      });
      if (privacy.addPolicy === 'anyone') {
        await d.repo.settle(record.id, 'accepted', at);
        const linked = await d.contacts.link(
          { userId: caller.userId, ...(record.remark ? { remark: record.remark } : {}) },
          { userId },
        );
        const accepted = { ...record, status: 'accepted' as const, updatedAt: at };
        await announce('friend.accepted.v1', accepted, [caller.userId, userId]);
        return { outcome: 'friends', request: await presentFor(accepted, caller.userId), contact: linked.a };
      }
      await announce('friend.request.v1', record, [caller.userId, userId]);
      return { outcome: 'pending', request: await presentFor(record, caller.userId), contact: null };
    },

    async requests(caller) {
      const { incoming, outgoing } = await d.repo.list(caller.userId);
      const profiles = await profileMap([...incoming, ...outgoing].flatMap((r) => [r.fromId, r.toId]));
      return {
        incoming: incoming.flatMap((r) => present(r, profiles, caller.userId)),
        outgoing: outgoing.flatMap((r) => present(r, profiles, caller.userId)),
      };
    },

    async accept(caller, requestId, remark) {
      const r = await pendingToMe(caller, requestId);
      await mustBeActive(r.fromId);
      if (!(await d.repo.settle(r.id, 'accepted', now()))) throw new AppError('FRIEND_REQUEST_HANDLED');
      const linked = await d.contacts.link(
        { userId: r.fromId, ...(r.remark ? { remark: r.remark } : {}) },
        { userId: caller.userId, ...(remark?.trim() ? { remark } : {}) },
      );
      const accepted = { ...r, status: 'accepted' as const, updatedAt: now() };
      await announce('friend.accepted.v1', accepted, [r.fromId, caller.userId]);
      return linked.b;
    },

    async decline(caller, requestId) {
      const r = await pendingToMe(caller, requestId);
      if (!(await d.repo.settle(r.id, 'declined', now()))) throw new AppError('FRIEND_REQUEST_HANDLED');
      // Only my devices hear of it: the requester is not told they were turned down.
      await announce('friend.request.v1', { ...r, status: 'declined', updatedAt: now() }, [caller.userId]);
    },

    async remove(caller, userId) {
      if (!(await d.contacts.unlink(caller.userId, userId))) {
        throw new AppError('NOT_FOUND', { what: 'friend', userId }, 'not a friend');
      }
      d.events.emit([caller.userId], 'friend.removed.v1', { userId });
      d.events.emit([userId], 'friend.removed.v1', { userId: caller.userId });
    },

    async block(caller, userId) {
      if (userId === caller.userId) throw new AppError('CONTACT_SELF');
      await mustBeActive(userId);
      const at = now();
      await d.repo.declinePending(userId, caller.userId, at);
      if (await d.repo.block(caller.userId, userId, at)) {
        d.blocks.changed(caller.userId);
        d.events.emit([caller.userId], 'friend.blocked.v1', { userId, blocked: true });
      }
    },

    async unblock(caller, userId) {
      if (!(await d.repo.unblock(caller.userId, userId))) {
        throw new AppError('NOT_FOUND', { what: 'blocked user', userId }, 'not blocked');
      }
      d.blocks.changed(caller.userId);
      d.events.emit([caller.userId], 'friend.blocked.v1', { userId, blocked: false });
    },

    async blocked(caller) {
      const records = await d.repo.blocked(caller.userId);
      const profiles = await profileMap(records.map((r) => r.blockedId));
      return records.flatMap((r) => {
        const profile = profiles.get(r.blockedId);
        return profile ? [{ userId: r.blockedId, profile, createdAt: r.createdAt }] : [];
      });
    },

    privacy: (caller) => d.repo.privacy(caller.userId),

    async updatePrivacy(caller, patch) {
      const next = { ...(await d.repo.privacy(caller.userId)), ...patch };
      await d.repo.setPrivacy(caller.userId, next, now());
      return next;
    },

    isBlocked: (ownerId, otherId) => d.blocks.isBlocked(ownerId, otherId),
    blockedEitherWay: (userId) => d.repo.blockedEitherWay(userId),
    close: () => d.blocks.close(),
  };
  return service;
}
