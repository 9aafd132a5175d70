import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { MemoryBroker } from '../../platform/broker/index.ts';
import { buildTwoNodes, closeNodes, testDialects } from '../../testing/app.ts';
import { principalClient, quickClients, text } from '../conversations/messaging.testing.ts';
import { BLOCKS_CHANGED_SUBJECT, BlockListCache } from './block-cache.ts';
import { FriendsRepo } from './friends.repo.ts';

/** A batch loader from a loader of one owner's list. */
const each =
  (load: (ownerId: string) => Promise<string[]>) =>
  (ownerIds: readonly string[]): Promise<string[][]> =>
    Promise.all(ownerIds.map(load));

describe('BlockListCache', () => {
  it('reads a list once, and again after a change here or on another node', async () => {
    const broker = new MemoryBroker();
    const stored = new Map<string, string[]>([['bob', ['mallory']]]);
    let loads = 0;
    const cache = new BlockListCache(
      each(async (owner) => {
        loads++;
        return stored.get(owner) ?? [];
      }),
      broker,
    );
    expect(await cache.isBlocked('bob', 'mallory')).toBe(true);
    expect(await cache.isBlocked('bob', 'alice')).toBe(false);
    expect(loads).toBe(1);
    stored.set('bob', ['mallory', 'alice']);
    cache.changed('bob');
    expect(await cache.isBlocked('bob', 'alice')).toBe(true);
    expect(loads).toBe(2);
    stored.set('bob', []);
    broker.publish(BLOCKS_CHANGED_SUBJECT, { ownerId: 'bob' });
    await broker.flush();
    expect(await cache.isBlocked('bob', 'alice')).toBe(false);
    expect(loads).toBe(3);
    cache.close();
  });

  it('forgets a failed load and keeps at most its bound of lists', async () => {
    let fail = true;
    const loaded: string[] = [];
    const cache = new BlockListCache(
      each(async (owner) => {
        loaded.push(owner);
        if (fail) throw new Error('database down');
        return [];
      }),
      new MemoryBroker(),
      2,
    );
    await expect(cache.isBlocked('a', 'x')).rejects.toThrow('database down');
    fail = false;
    expect(await cache.isBlocked('a', 'x')).toBe(false);
    await cache.isBlocked('b', 'x');
    await cache.isBlocked('c', 'x');
    await cache.isBlocked('a', 'x');
    expect(loaded).toEqual(['a', 'a', 'b', 'c', 'a']);
    cache.close();
  });
});

describe.each(testDialects())('blocks across two nodes (%s)', (dialect) => {
  let nodeA: App;
  let nodeB: App;
  beforeAll(async () => {
    [nodeA, nodeB] = await buildTwoNodes(dialect);
  });
  afterAll(() => closeNodes([nodeA, nodeB]));

  it("reads many owners' block lists in one query, in the order asked", async () => {
    const [alice, bob, carol] = await quickClients(nodeA, 3);
    await bob!.call('friends.block', { userId: alice!.userId });
    await bob!.call('friends.block', { userId: carol!.userId });
    const repo = new FriendsRepo(nodeA.platform.db, nodeA.platform.keyring);
    const lists = await repo.blockedIdsOf([bob!.userId, alice!.userId, bob!.userId]);
    expect(lists.map((ids) => [...ids].sort())).toEqual([
      [alice!.userId, carol!.userId].sort(),
      [],
      [alice!.userId, carol!.userId].sort(),
    ]);
  });

  it('refuses a direct message on one node as soon as the recipient blocks on the other', async () => {
    const [alice, bob] = await quickClients(nodeA, 2);
    const bobOnB = principalClient(nodeB, bob!.userId, 'bob-on-b');
    const { id } = await alice!.call('conversations.openDirect', { userId: bob!.userId });
    // Node A has read bob's (empty) block list for this send.
    await alice!.call('messages.send', text(id, 'before'));
    await bobOnB.call('friends.block', { userId: alice!.userId });
    await nodeB.platform.broker.flush();
    expect(await alice!.fail('messages.send', text(id, 'blocked'))).toMatchObject({ code: 'BLOCKED' });
    await bobOnB.call('friends.unblock', { userId: alice!.userId });
    await nodeB.platform.broker.flush();
    expect((await alice!.call('messages.send', text(id, 'after'))).seq).toBe(2);
  });
});
