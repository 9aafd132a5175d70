import { describe, expect, it } from 'vitest';
import { DurabilityError } from '../../platform/db/index.ts';
import { CommitBatcher, type Outcome } from './commit-batcher.ts';

/** A hand-cranked scheduler and a commit whose transactions finish only when told to. */
function harness(maxBatch: number, failWhen: (items: readonly number[]) => boolean = () => false) {
  const scheduled: Array<() => void> = [];
  const commits: number[][] = [];
  const gates: Array<() => void> = [];
  const settledOrder: string[] = [];
  const batcher = new CommitBatcher<number, number>({
    maxBatch,
    schedule: (run) => void scheduled.push(run),
    commit: async (items) => {
      commits.push([...items]);
      await new Promise<void>((r) => gates.push(r));
      if (failWhen(items)) throw new Error('transaction failed');
      return items.map((n): Outcome<number> =>
        n < 0 ? { ok: false, error: new Error(`bad ${n}`) } : { ok: true, value: n * 10 },
      );
    },
    afterSettle: (items) => void settledOrder.push(`after:${items.join(',')}`),
  });
  const tick = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const runScheduled = () => scheduled.splice(0).forEach((f) => f());
  const openGate = async () => {
    gates.shift()?.();
    await tick();
  };
  return { batcher, scheduled, commits, openGate, runScheduled, tick, settledOrder };
}

describe('CommitBatcher', () => {
  it('schedules one flush for concurrent enqueues and commits them in one transaction', async () => {
    const h = harness(100);
    const results = [1, 2, 3].map((n) => h.batcher.enqueue(n));
    expect(h.scheduled).toHaveLength(1);
    expect(h.commits).toHaveLength(0);
    h.runScheduled();
    expect(h.commits).toEqual([[1, 2, 3]]);
    await h.openGate();
    expect(await Promise.all(results)).toEqual([10, 20, 30]);
    expect(h.batcher.stats.transactions).toBe(1);
  });

  it('holds items that arrive during an in-flight commit for the next one', async () => {
    const h = harness(100);
    const first = h.batcher.enqueue(1);
    h.runScheduled();
    expect(h.batcher.inFlight).toBe(true);
    const later = [h.batcher.enqueue(2), h.batcher.enqueue(3)];
    expect(h.scheduled).toHaveLength(0);
    expect(h.commits).toEqual([[1]]);
    await h.openGate();
    expect(await first).toBe(10);
    expect(h.commits).toEqual([[1]]);
    // The next flush is scheduled, so callers acked just now can still join it.
    const joined = h.batcher.enqueue(4);
    h.runScheduled();
    expect(h.commits).toEqual([[1], [2, 3, 4]]);
    await h.openGate();
    expect(await joined).toBe(40);
    expect(await Promise.all(later)).toEqual([20, 30]);
    expect(h.batcher.inFlight).toBe(false);
  });

  it('never puts more than maxBatch items in one transaction', async () => {
    const h = harness(2);
    const all = [1, 2, 3, 4, 5].map((n) => h.batcher.enqueue(n));
    for (let i = 0; i < 3; i++) {
      h.runScheduled();
      await h.openGate();
    }
    expect(h.commits).toEqual([[1, 2], [3, 4], [5]]);
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
  });

  it('does not settle a promise before its commit finishes', async () => {
    const h = harness(10);
    let settled = false;
    void h.batcher.enqueue(1).then(() => (settled = true));
    h.runScheduled();
    await h.tick();
    expect(settled).toBe(false);
    await h.openGate();
    expect(settled).toBe(true);
  });

  it('settles the promises (the acks) before afterSettle runs', async () => {
    const h = harness(10);
    const p = h.batcher.enqueue(7).then((v) => h.settledOrder.push(`ack:${v}`));
    h.runScheduled();
    await h.openGate();
    await p;
    // The ack's continuation runs in a microtask after settle; afterSettle ran synchronously after resolve().
    expect(h.settledOrder).toEqual(['after:7', 'ack:70']);
  });

  it('rejects only the bad item of a batch when the commit reports per-item failures', async () => {
    const h = harness(10);
    const ok = h.batcher.enqueue(1);
    const bad = h.batcher.enqueue(-1);
    h.runScheduled();
    await h.openGate();
    expect(await ok).toBe(10);
    await expect(bad).rejects.toThrow('bad -1');
    expect(h.batcher.stats).toMatchObject({ committed: 1, failed: 1, transactions: 1 });
  });

  it('retries each item alone when a whole batch transaction fails', async () => {
    const h = harness(10, (items) => items.length > 1 || items[0] === 99);
    const a = h.batcher.enqueue(1);
    const poison = h.batcher.enqueue(99);
    const b = h.batcher.enqueue(2);
    h.runScheduled();
    for (let i = 0; i < 4; i++) await h.openGate();
    expect(h.commits).toEqual([[1, 99, 2], [1], [99], [2]]);
    expect(await a).toBe(10);
    expect(await b).toBe(20);
    await expect(poison).rejects.toThrow('transaction failed');
    expect(h.batcher.stats.splits).toBe(1);
  });

  it('drains pending items on close and refuses new ones', async () => {
    const h = harness(10);
    const p = h.batcher.enqueue(1);
    const closing = h.batcher.close();
    await h.tick();
    await h.openGate();
    await closing;
    expect(await p).toBe(10);
    await expect(h.batcher.enqueue(2)).rejects.toThrow('closed');
  });

  it('batches real concurrent callers with the default setImmediate scheduler', async () => {
    const sizes: number[] = [];
    const batcher = new CommitBatcher<number, number>({
      maxBatch: 1000,
      commit: async (items) => {
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        return items.map((n) => ({ ok: true, value: n }));
      },
    });
    const first = await Promise.all(Array.from({ length: 200 }, (_, i) => batcher.enqueue(i)));
    expect(first).toHaveLength(200);
    expect(sizes).toEqual([200]);
    await batcher.close();
  });

  it('fails a batch whose commit could not be synced together, without committing its items again', async () => {
    const commits: number[][] = [];
    const batcher = new CommitBatcher<number, number>({
      maxBatch: 10,
      commit: async (items) => {
        commits.push([...items]);
        throw new DurabilityError(new Error('EIO'));
      },
    });
    const results = Promise.allSettled([1, 2, 3].map((n) => batcher.enqueue(n)));
    const settled = await results;
    // One transaction, none of the one-by-one retries a failed transaction gets.
    expect(commits).toEqual([[1, 2, 3]]);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(batcher.stats.splits).toBe(0);
  });
});
