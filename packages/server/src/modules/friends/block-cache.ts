import type { Broker, Subscription } from '../../platform/broker/index.ts';

/** Broker subject on which a node announces that a user's block list changed. */
export const BLOCKS_CHANGED_SUBJECT = 'zx.friends.blocks';

/**
 * Each user's block list as this process last read it, for the check before every direct message
 * (a query per message otherwise). A change on any node drops the owner's list on every node (the
 * broker); after a broker outage, when such news may have been lost, every list is dropped. A list
 * is cached as its load's promise, so a change that lands while it loads drops the load too.
 * Bounded: past `maxEntries` users, the list loaded longest ago is dropped.
 */
export class BlockListCache {
  private readonly lists = new Map<string, Promise<ReadonlySet<string>>>();
  private readonly subscription: Subscription;

  constructor(
    private readonly load: (ownerId: string) => Promise<string[]>,
    private readonly broker: Broker,
    private readonly maxEntries = 100_000,
  ) {
    this.subscription = broker.subscribe(BLOCKS_CHANGED_SUBJECT, (payload) => {
      const id = (payload as { ownerId?: unknown } | null)?.ownerId;
      if (typeof id === 'string') this.lists.delete(id);
    });
    broker.onReconnect(() => this.lists.clear());
  }

  /** Whether `ownerId` blocked `otherId`. */
  async isBlocked(ownerId: string, otherId: string): Promise<boolean> {
    return (await this.listOf(ownerId)).has(otherId);
  }

  /** After a change of the owner's list is stored: drop this node's copy and tell the others. */
  changed(ownerId: string): void {
    this.lists.delete(ownerId);
    this.broker.publish(BLOCKS_CHANGED_SUBJECT, { ownerId });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.lists.clear();
  }

  private listOf(ownerId: string): Promise<ReadonlySet<string>> {
    const hit = this.lists.get(ownerId);
    if (hit) return hit;
    const loading = this.load(ownerId).then((ids) => new Set(ids));
    this.lists.set(ownerId, loading);
    loading.catch(() => {
      if (this.lists.get(ownerId) === loading) this.lists.delete(ownerId);
    });
    if (this.lists.size > this.maxEntries) {
      const oldest = this.lists.keys().next();
      if (!oldest.done) this.lists.delete(oldest.value);
    }
    return loading;
  }
}
