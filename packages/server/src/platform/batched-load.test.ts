import { describe, expect, it } from 'vitest';
import { batchedLoad } from './batched-load.ts';

/** A loadMany that records each call's keys and answers `value:<key>`. */
function recording(fail?: (keys: readonly string[]) => Error | undefined) {
  const calls: string[][] = [];
  const loadMany = async (keys: readonly string[]) => {
    calls.push([...keys]);
    const err = fail?.(keys);
    if (err) throw err;
    return keys.map((k) => `value:${k}`);
  };
  return { calls, loadMany };
}

describe('batchedLoad', () => {
  it('loads the keys asked for in one turn of the event loop in one call, each key once', async () => {
    const { calls, loadMany } = recording();
    const load = batchedLoad(loadMany);
    const values = await Promise.all([load('a'), load('b'), load('a'), load('c')]);
    expect(values).toEqual(['value:a', 'value:b', 'value:a', 'value:c']);
    expect(calls).toEqual([['a', 'b', 'c']]);
  });

  it('starts a new call for keys asked for after the batch left', async () => {
    const { calls, loadMany } = recording();
    const load = batchedLoad(loadMany);
    await load('a');
    await Promise.all([load('a'), load('b')]);
    expect(calls).toEqual([['a'], ['a', 'b']]);
  });

  it('sends a full batch at once and the rest at the end of the turn', async () => {
    const { calls, loadMany } = recording();
    const load = batchedLoad(loadMany, 2);
    const values = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => load(k)));
    expect(values).toEqual(['value:a', 'value:b', 'value:c', 'value:d', 'value:e']);
    expect(calls).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('fails every load of a failed batch, and only those', async () => {
    const { calls, loadMany } = recording((keys) =>
      keys.includes('bad') ? new Error('db down') : undefined,
    );
    const load = batchedLoad(loadMany, 2);
    const results = await Promise.allSettled([load('a'), load('bad'), load('c')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    expect(calls).toEqual([['a', 'bad'], ['c']]);
  });

  it('fails the batch when loadMany answers a different number of values than keys', async () => {
    const load = batchedLoad(async () => ['only one']);
    const results = await Promise.allSettled([load('a'), load('b')]);
    expect(results).toMatchObject([
      { status: 'rejected', reason: { message: 'loadMany returned 1 values for 2 keys' } },
      { status: 'rejected' },
    ]);
  });
});
