import type { Broker, Subscription } from '../../platform/broker/index.ts';
import type { Membership, SendBlock, SendPolicy } from './conversations.types.ts';

/** Broker subject on which a node announces that a conversation's members changed. */
export const MEMBERS_CHANGED_SUBJECT = 'zx.conv.members';

export type MembershipLoader = (conversationId: string) => Promise<Membership | null>;

/**
 * Per-process cache of who is in each conversation, so the send path needs no query. Any node that
 * changes a membership publishes on MEMBERS_CHANGED_SUBJECT and every node drops its copy.
 * Entries hold the loading promise, so concurrent misses share one query; an invalidation that
 * lands while a load is running drops that load too (the next caller reloads).
 */
export class MembershipCache {
  private readonly entries = new Map<string, Promise<Membership | null>>();
  private readonly subscription: Subscription;

  constructor(
    private readonly loader: MembershipLoader,
    private readonly broker: Broker,
    private readonly maxEntries = 50_000,
  ) {
    this.subscription = broker.subscribe(MEMBERS_CHANGED_SUBJECT, (payload) => {
      const id = (payload as { conversationId?: unknown } | null)?.conversationId;
      if (typeof id === 'string') this.entries.delete(id);
    });
  }

  get(conversationId: string): Promise<Membership | null> {
    const hit = this.entries.get(conversationId);
    if (hit) return hit;
    const loading = this.loader(conversationId);
    this.entries.set(conversationId, loading);
    loading.catch(() => {
      if (this.entries.get(conversationId) === loading) this.entries.delete(conversationId);
    });
    if (this.entries.size > this.maxEntries) {
      // Oldest insertion first: a rough LRU that is cheap and good enough for membership.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return loading;
  }

  /** Drop this node's copy now and tell every other node to drop theirs. */
  changed(conversationId: string): void {
    this.entries.delete(conversationId);
    this.broker.publish(MEMBERS_CHANGED_SUBJECT, { conversationId });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.entries.clear();
  }
}

/**
 * A channel's membership: every user reads it (and may keep settings in it), only its publishers
 * (owner and admins) post. `memberIds` holds the publishers: a channel's events go to everyone
 * through `EventSink.emitToAll`, never to a list (see `emitToConversation`).
 */
export function channelMembershipOf(conversationId: string, publisherIds: readonly string[]): Membership {
  const publishers = new Set(publisherIds);
  return {
    conversationId,
    kind: 'channel',
    memberIds: publisherIds,
    has: () => true,
    sendBlock: (userId) => (publishers.has(userId) ? null : 'CHANNEL_READ_ONLY'),
  };
}

/** A membership value from member ids (and, for a group, its send policy). */
export function membershipOf(
  conversationId: string,
  kind: Membership['kind'],
  memberIds: readonly string[],
  policy?: SendPolicy,
): Membership {
  const set = new Set(memberIds);
  const sendBlock = (userId: string, now: number): SendBlock | null => {
    if (!policy) return null;
    if (policy.dissolved) return 'GROUP_DISSOLVED';
    if (policy.privileged.has(userId)) return null;
    if (policy.muteAll) return 'MEMBER_MUTED';
    const until = policy.mutedUntil.get(userId);
    return until !== undefined && until > now ? 'MEMBER_MUTED' : null;
  };
  return { conversationId, kind, memberIds, has: (userId) => set.has(userId), sendBlock };
}
