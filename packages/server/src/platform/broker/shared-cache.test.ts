import { describe, expect, it } from 'vitest';
import type { Broker } from './broker.ts';
import { MemoryBroker } from './memory.ts';
import { SharedCache } from './shared-cache.ts';

/** A memory broker whose connection can "come back", as NATS's does after an outage. */
class ReconnectingBroker extends MemoryBroker {
  private readonly listeners: Array<() => void> = [];
  override onReconnect(listener: () => void): void {
    this.listeners.push(listener);
  }
  reconnected(): void {
    for (const l of this.listeners) l();
  }
}

function counting(broker: Broker, values: Map<string, number>) {
  const loads: string[] = [];
  const cache = new SharedCache<number>({
    subject: 'test.changed',
    keyField: 'id',
    loadMany: async (keys) => {
      loads.push(...keys);
      return keys.map((key) => values.get(key) ?? 0);
    },
    broker,
    maxEntries: 10,
  });
  return { cache, loads };
}

describe('SharedCache', () => {
  it('holds a loaded value itself, and one load for concurrent misses', async () => {
    const { cache, loads } = counting(new MemoryBroker(), new Map([['a', 1]]));
    const [x, y] = await Promise.all([cache.get('a'), cache.get('a')]);
    expect([x, y]).toEqual([1, 1]);
    expect(cache.get('a')).toBe(1);
    expect(loads).toEqual(['a']);
    cache.close();
  });

  it('drops everything when the broker connection comes back (announcements may be lost)', async () => {
    const broker = new ReconnectingBroker();
    const values = new Map([['a', 1]]);
    const { cache, loads } = counting(broker, values);
    await cache.get('a');
    values.set('a', 2);
    broker.reconnected();
    expect(await cache.get('a')).toBe(2);
    expect(loads).toEqual(['a', 'a']);
    cache.close();
  });

  it('drops a load that a change announced while it ran', async () => {
    const broker = new MemoryBroker();
    let value = 1;
    let started = (): void => {};
    let release = (): void => {};
    const cache = new SharedCache<number>({
      subject: 'test.changed',
      keyField: 'id',
      // Reads the value, then waits to be released: the change below lands while it is in flight.
      loadMany: async (keys) => {
        const read = keys.map(() => value);
        started();
        await new Promise<void>((resolve) => (release = resolve));
        return read;
      },
      broker,
      maxEntries: 10,
    });
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const first = cache.get('a');
    await inFlight;
    value = 2;
    cache.changed('a');
    release();
    expect(await first).toBe(1);
    const second = cache.get('a');
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await second).toBe(2);
    cache.close();
  });
});
