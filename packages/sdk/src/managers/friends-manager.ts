import type {
  AddPolicy,
  BlockedUser,
  FriendPrivacy,
  FriendRequest,
  FriendRequestList,
  FriendSearchResult,
  Recommendation,
  RecommendationList,
  RecommendationReason,
  SendFriendRequestResult,
  UpdatePrivacyBody,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';
import type { Contact } from './contacts-manager.ts';

export type {
  AddPolicy,
  BlockedUser,
  FriendPrivacy,
  FriendRequest,
  FriendRequestList,
  FriendSearchResult,
  Recommendation,
  RecommendationList,
  RecommendationReason,
  SendFriendRequestResult,
};

/**
 * Friends: finding people, friend requests, ending friendships, the block list and who may find or
 * add me. Friends are my contacts (`client.contacts`): accepting a request puts each in the other's
 * list. Changes arrive on every device as `friend.request`, `friend.accepted`, `friend.removed`,
 * `friend.blocked` and the `contact.*` events.
 */
export class FriendsManager {
  constructor(private readonly call: Call) {}

  /**
   * Find a user by phone number or 致信号. Users who hide from this kind of search, or who blocked
   * me, are not found (`NOT_FOUND`, the same as nobody).
   * @example
   * const { profile, isFriend } = await client.friends.search('13800138000');
   */
  search(query: string): Promise<FriendSearchResult> {
    return this.call('friends.search', { query });
  }

  /**
   * Ask a user to be my friend, with a message (≤ 100 characters) and the remark I will give them.
   * A second request while one is pending replaces its message. When the user lets anyone add them
   * the outcome is `friends` at once; `FRIEND_REQUESTS_CLOSED` when they accept nobody.
   * @example
   * const res = await client.friends.request(userId, '我是产品部的王丽', '张经理');
   * if (res.outcome === 'friends') console.log('added', res.contact);
   */
  request(userId: string, message: string, remark?: string): Promise<SendFriendRequestResult> {
    return this.call('friends.request', remark ? { userId, message, remark } : { userId, message });
  }

  /**
   * Requests to me (`incoming`) and from me (`outgoing`), newest first, each with both profiles.
   * A pending request lapses to `expired` after 7 days.
   * @example
   * const { incoming } = await client.friends.requests();
   * const waiting = incoming.filter((r) => r.status === 'pending').length;
   */
  requests(): Promise<FriendRequestList> {
    return this.call('friends.requests', {});
  }

  /**
   * Accept a request to me, optionally with my remark for the requester; returns my new contact.
   * @example
   * const contact = await client.friends.accept(request.id, '产品部王丽');
   */
  accept(requestId: string, remark?: string): Promise<Contact> {
    return this.call('friends.accept', remark ? { requestId, remark } : { requestId });
  }

  /**
   * Decline a request to me (the requester is not told).
   * @example
   * await client.friends.decline(request.id);
   */
  async decline(requestId: string): Promise<void> {
    await this.call('friends.decline', { requestId });
  }

  /**
   * End a friendship: each leaves the other's contact list.
   * @example
   * await client.friends.remove(userId);
   */
  async remove(userId: string): Promise<void> {
    await this.call('friends.remove', { userId });
  }

  /**
   * Block a user: they can no longer find me, send me friend requests or direct messages.
   * @example
   * await client.friends.block(userId);
   */
  async block(userId: string): Promise<void> {
    await this.call('friends.block', { userId });
  }

  /**
   * Unblock a user.
   * @example
   * await client.friends.unblock(userId);
   */
  async unblock(userId: string): Promise<void> {
    await this.call('friends.unblock', { userId });
  }

  /**
   * The users I blocked, newest first.
   * @example
   * const names = (await client.friends.blocked()).map((b) => b.profile.nickname);
   */
  async blocked(): Promise<BlockedUser[]> {
    return (await this.call('friends.blocked', {})).users;
  }

  /**
   * My privacy settings.
   * @example
   * const { addPolicy } = await client.friends.privacy();
   */
  privacy(): Promise<FriendPrivacy> {
    return this.call('friends.privacy', {});
  }

  /**
   * Change some of my privacy settings; returns all of them.
   * @example
   * await client.friends.updatePrivacy({ addPolicy: 'verify', findableByPhone: false });
   */
  updatePrivacy(patch: UpdatePrivacyBody): Promise<FriendPrivacy> {
    return this.call('friends.updatePrivacy', patch);
  }

  /**
   * People I may know, best first, each with why (mutual friends, shared groups, same department).
   * Friends, blocked people, pending requests and dismissed suggestions are left out.
   * @example
   * const { items } = await client.friends.recommendations(10);
   * for (const r of items) console.log(r.user.nickname, r.reasons);
   */
  recommendations(limit?: number): Promise<RecommendationList> {
    return this.call('friends.recommendations', limit === undefined ? {} : { limit });
  }

  /**
   * Stop suggesting this person to me (remembered on the server, for every device).
   * @example
   * await client.friends.dismissRecommendation(userId);
   */
  async dismissRecommendation(userId: string): Promise<void> {
    await this.call('friends.dismissRecommendation', { userId });
  }
}

/** Whether a request is still waiting for an answer (pending and not lapsed). */
export function isPendingRequest(r: FriendRequest, now = Date.now()): boolean {
  return r.status === 'pending' && r.expiresAt > now;
}
