/** Loads the values of many keys in one call: one value per key, in the order of `keys`. */
export type LoadMany<V> = (keys: readonly string[]) => Promise<V[]>;

/** The most keys one call of `loadMany` is given; more wait for the next. */
export const MAX_BATCH = 256;

interface Waiter<V> {
  resolve(value: V): void;
  reject(err: unknown): void;
}

/**
 * One key's load, gathered with the other loads asked for in the same turn of the event loop into
 * one `loadMany` call (flushed when the turn ends, at `setImmediate`, or at `maxBatch` keys). After
 * a restart every first message of a conversation needs its membership, block list and file from
 * the database at once: one query per key queued them behind a pool of ten connections (issue 9's
 * warm-up, twenty-first follow-up), where one query per turn serves them all. Loads of one key in
 * the same batch share its value. A failed `loadMany` fails every load of its batch.
 *
 * Nothing is kept once a batch settles: caching is the caller's (see SharedCache).
 */
export function batchedLoad<V>(loadMany: LoadMany<V>, maxBatch = MAX_BATCH): (key: string) => Promise<V> {
  let pending = new Map<string, Waiter<V>[]>();
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    const batch = pending;
    pending = new Map();
    if (batch.size > 0) void run(batch);
  };

  const run = async (batch: Map<string, Waiter<V>[]>): Promise<void> => {
    const keys = [...batch.keys()];
    let values: V[];
    try {
      values = await loadMany(keys);
      if (values.length !== keys.length)
        throw new Error(`loadMany returned ${values.length} values for ${keys.length} keys`);
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      return;
    }
    keys.forEach((key, i) => {
      for (const w of batch.get(key)!) w.resolve(values[i] as V);
    });
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else {
        pending.set(key, [{ resolve, reject }]);
        if (pending.size >= maxBatch) {
          const full = pending;
          pending = new Map();
          void run(full);
          return;
        }
      }
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
