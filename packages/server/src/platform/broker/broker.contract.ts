import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Broker } from './broker.ts';

/** Two ends of one bus (the same broker twice for memory; two connections or workers otherwise). */
export interface BrokerPair {
  a: Broker;
  b: Broker;
  close(): Promise<void>;
}

/** Poll until `check` passes or `ms` elapse. */
export async function eventually(check: () => void | Promise<void>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The behaviour every Broker implementation shares; call inside a `describe`. Subjects are
 * prefixed with a random token so suites can share one NATS server.
 */
export function brokerContract(makePair: () => Promise<BrokerPair>): void {
  let pair: BrokerPair;
  let p: string;
  beforeEach(async () => {
    pair = await makePair();
    p = `t${Math.random().toString(36).slice(2, 10)}`;
  });
  afterEach(async () => {
    await pair.close();
  });

  /** Subscribe on `b` and make the subscription effective for every publisher. */
  async function collect(
    pattern: string,
    on = pair.b,
  ): Promise<Array<{ payload: unknown; subject: string }>> {
    const got: Array<{ payload: unknown; subject: string }> = [];
    on.subscribe(pattern, (payload, subject) => got.push({ payload, subject }));
    await on.flush();
    return got;
  }

  it('delivers a JSON payload published on one end to a subscriber on the other', async () => {
    const got = await collect(`${p}.hello`);
    pair.a.publish(`${p}.hello`, { text: '你好', n: 1, nested: { list: [1, null, 'x'] } });
    await pair.a.flush();
    await eventually(() =>
      expect(got).toEqual([
        { payload: { text: '你好', n: 1, nested: { list: [1, null, 'x'] } }, subject: `${p}.hello` },
      ]),
    );
  });

  it('carries every kind of JSON value', async () => {
    const got = await collect(`${p}.values`);
    const values = ['text', 42, 1.5, true, false, null, [], {}, [1, [2, [3]]], { a: { b: { c: 'd' } } }];
    for (const v of values) pair.a.publish(`${p}.values`, v);
    await pair.a.flush();
    await eventually(() => expect(got.map((g) => g.payload)).toEqual(values));
  });

  it('matches `*` to exactly one token', async () => {
    const got = await collect(`${p}.node.*`);
    pair.a.publish(`${p}.node.one`, 1);
    pair.a.publish(`${p}.node.one.two`, 2);
    pair.a.publish(`${p}.node`, 3);
    pair.a.publish(`${p}.node.three`, 4);
    await pair.a.flush();
    await eventually(() => expect(got.map((g) => g.subject)).toEqual([`${p}.node.one`, `${p}.node.three`]));
  });

  it('matches `>` to one or more trailing tokens but not to the prefix itself', async () => {
    const got = await collect(`${p}.events.>`);
    pair.a.publish(`${p}.events`, 0);
    pair.a.publish(`${p}.events.a`, 1);
    pair.a.publish(`${p}.events.a.b.c`, 2);
    pair.a.publish(`${p}.other.a`, 3);
    await pair.a.flush();
    await eventually(() => expect(got.map((g) => g.payload)).toEqual([1, 2]));
  });

  it('keeps the order of one publisher', async () => {
    const got = await collect(`${p}.seq`);
    for (let i = 0; i < 500; i++) pair.a.publish(`${p}.seq`, i);
    await pair.a.flush();
    await eventually(() => expect(got.length).toBe(500));
    expect(got.map((g) => g.payload)).toEqual([...Array(500).keys()]);
  });

  it('gives each subscriber its own copy', async () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    pair.b.subscribe(`${p}.copy`, (payload) => {
      (payload as { list: number[] }).list.push(99);
      first.push(payload);
    });
    pair.b.subscribe(`${p}.copy`, (payload) => second.push(payload));
    await pair.b.flush();
    pair.a.publish(`${p}.copy`, { list: [1] });
    await pair.a.flush();
    await eventually(() => expect(second).toEqual([{ list: [1] }]));
    expect(first).toEqual([{ list: [1, 99] }]);
  });

  it('delivers to the publisher itself when it subscribed', async () => {
    const got = await collect(`${p}.self`, pair.a);
    pair.a.publish(`${p}.self`, 'me');
    await pair.a.flush();
    await eventually(() => expect(got.map((g) => g.payload)).toEqual(['me']));
  });

  it('stops delivering after unsubscribe, leaving other subscriptions alone', async () => {
    const gone: unknown[] = [];
    const kept: unknown[] = [];
    const sub = pair.b.subscribe(`${p}.unsub`, (payload) => gone.push(payload));
    pair.b.subscribe(`${p}.unsub`, (payload) => kept.push(payload));
    await pair.b.flush();
    pair.a.publish(`${p}.unsub`, 1);
    await pair.a.flush();
    await eventually(() => expect(gone).toEqual([1]));
    sub.unsubscribe();
    sub.unsubscribe();
    await pair.b.flush();
    pair.a.publish(`${p}.unsub`, 2);
    await pair.a.flush();
    await eventually(() => expect(kept).toEqual([1, 2]));
    await sleep(30);
    expect(gone).toEqual([1]);
  });

  it('delivers nothing to a subject nobody subscribed to, and flush still resolves', async () => {
    const got = await collect(`${p}.someone`);
    pair.a.publish(`${p}.nobody`, 1);
    await pair.a.flush();
    await sleep(30);
    expect(got).toEqual([]);
  });

  it('ignores a publish after close instead of throwing', async () => {
    await pair.a.close();
    expect(() => pair.a.publish(`${p}.closed`, 1)).not.toThrow();
    await expect(pair.a.flush()).resolves.toBeUndefined();
  });
}
