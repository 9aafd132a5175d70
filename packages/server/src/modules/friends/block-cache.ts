import type { LoadMany } from '../../platform/batched-load.ts';
import { SharedCache, type Broker } from '../../platform/broker/index.ts';

/** Broker subject on which a node announces that a user's block list changed. */
export const BLOCKS_CHANGED_SUBJECT = 'zx.friends.blocks';

/** The list of most users, shared: an entry then costs its map slot only. */
const NO_BLOCKS: ReadonlySet<string> = new Set();

/**
 * Each user's block list as this process last read it, for the check before every direct message
 * (a query per message otherwise). A change on any node drops the owner's list on every node (see
 * SharedCache, which also drops everything when the broker connection comes back). The lists missed
 * in one turn of the event loop load together (`loadMany`: each owner's blocked ids, in order).
 */
export class BlockListCache {
  private readonly lists: SharedCache<ReadonlySet<string>>;

  constructor(loadMany: LoadMany<string[]>, broker: Broker, maxEntries = 50_000) {
    this.lists = new SharedCache({
      subject: BLOCKS_CHANGED_SUBJECT,
      keyField: 'ownerId',
      loadMany: async (ownerIds) =>
        (await loadMany(ownerIds)).map((ids) => (ids.length > 0 ? new Set(ids) : NO_BLOCKS)),
      broker,
      maxEntries,
    });
  }

  /** Whether `ownerId` blocked `otherId`. */
  async isBlocked(ownerId: string, otherId: string): Promise<boolean> {
    return (await this.lists.get(ownerId)).has(otherId);
  }

  /** After a change of the owner's list is stored: drop it on every node. */
  changed(ownerId: string): void {
    this.lists.changed(ownerId);
  }

  close(): void {
    this.lists.close();
  }
}
