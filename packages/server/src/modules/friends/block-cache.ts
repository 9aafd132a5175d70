import type { Broker, Subscription } from '../../platform/broker/index.ts';

/** Broker subject on which a node announces that a user's block list changed. */
export const BLOCKS_CHANGED_SUBJECT = 'zx.friends.blocks';

/** The list of most users, shared: an entry then costs its map slot only. */
const NO_BLOCKS: ReadonlySet<string> = new Set();

/**
 * Each user's block list as this process last read it, for the check before every direct message
 * (a query per message otherwise). A change on any node drops the owner's list on every node (the
 * broker); after a broker outage, when such news may have been lost, every list is dropped. A list
 * is cached as its load's promise until it is read, so a change that lands while it loads drops the
 * load too. Bounded: past `maxEntries` users, the list loaded longest ago is dropped.
 */
export class BlockListCache {
  private readonly lists = new Map<string, ReadonlySet<string> | Promise<ReadonlySet<string>>>();
  private readonly subscription: Subscription;

  constructor(
    private readonly load: (ownerId: string) => Promise<string[]>,
    private readonly broker: Broker,
    private readonly maxEntries = 50_000,
  ) {
    this.subscription = broker.subscribe(BLOCKS_CHANGED_SUBJECT, (payload) => {
      const id = (payload as { ownerId?: unknown } | null)?.ownerId;
      if (typeof id === 'string') this.lists.delete(id);
    });
    broker.onReconnect(() => this.lists.clear());
  }

  /** Whether `ownerId` blocked `otherId`. */
  async isBlocked(ownerId: string, otherId: string): Promise<boolean> {
    const list = this.lists.get(ownerId) ?? this.loadList(ownerId);
    return (list instanceof Set ? list : await list).has(otherId);
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

  private loadList(ownerId: string): Promise<ReadonlySet<string>> {
    const loading = this.load(ownerId).then((ids): ReadonlySet<string> => {
      const list = ids.length > 0 ? new Set(ids) : NO_BLOCKS;
      // Still wanted (no change dropped it meanwhile): keep the list itself, not its promise.
      if (this.lists.get(ownerId) === loading) this.lists.set(ownerId, list);
      return list;
    });
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
