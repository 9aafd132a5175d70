import { batchedLoad, type LoadMany } from '../batched-load.ts';
import type { Broker, Subscription } from './broker.ts';

export interface SharedCacheOptions<V> {
  /** Subject on which any node announces that the value of a key changed. */
  subject: string;
  /** The announcement's field that holds the key: `{ [keyField]: key }`. */
  keyField: string;
  /**
   * The values of the keys missed in one turn of the event loop, loaded together (see batchedLoad):
   * a process that just started meets thousands at once.
   */
  loadMany: LoadMany<V>;
  broker: Broker;
  /** Past this many keys, the one loaded longest ago is dropped. */
  maxEntries: number;
}

/**
 * Values loaded by key and kept in this process until any node announces on the broker that the
 * value of a key changed, which drops it on every node; when the broker connection comes back,
 * announcements may have been lost meanwhile, so everything is dropped. A value is kept as its
 * load's promise while it loads (concurrent misses share one load, and a change announced during a
 * load drops that load too), then as the value itself. A failed load is not kept.
 */
export class SharedCache<V> {
  private readonly entries = new Map<string, V | Promise<V>>();
  private readonly subscription: Subscription;
  private readonly load: (key: string) => Promise<V>;

  constructor(private readonly opts: SharedCacheOptions<V>) {
    this.load = batchedLoad(opts.loadMany);
    this.subscription = opts.broker.subscribe(opts.subject, (payload) => {
      const key = (payload as Record<string, unknown> | null)?.[opts.keyField];
      if (typeof key === 'string') this.entries.delete(key);
    });
    opts.broker.onReconnect(() => this.entries.clear());
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value of `key`: at once when this process holds it, otherwise its load. */
  get(key: string): V | Promise<V> {
    return this.entries.has(key) ? (this.entries.get(key) as V | Promise<V>) : this.loadEntry(key);
  }

  /** After a change of `key`'s value is stored: drop this node's copy and tell the other nodes. */
  changed(key: string): void {
    this.entries.delete(key);
    this.opts.broker.publish(this.opts.subject, { [this.opts.keyField]: key });
  }

  close(): void {
    this.subscription.unsubscribe();
    this.entries.clear();
  }

  private loadEntry(key: string): Promise<V> {
    const loading: Promise<V> = this.load(key).then((value) => {
      if (this.entries.get(key) === loading) this.entries.set(key, value);
      return value;
    });
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    if (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return loading;
  }
}
