import type { Broker, Subscription } from '../../platform/broker/index.ts';
import type { Membership } from './conversations.types.ts';

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

/** A membership value from member ids. */
export function membershipOf(
  conversationId: string,
  kind: Membership['kind'],
  memberIds: readonly string[],
): Membership {
  const set = new Set(memberIds);
  return { conversationId, kind, memberIds, has: (userId) => set.has(userId) };
}
