import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { MemoryBroker } from '../../platform/broker/index.ts';
import { buildTwoNodes, closeNodes, testDialects } from '../../testing/app.ts';
import type { Membership } from './conversations.types.ts';
import { MembersRepo } from './members.repo.ts';
import { MEMBERS_CHANGED_SUBJECT, MembershipCache, membershipOf } from './membership-cache.ts';

/** A batch loader from a loader of one key. */
const each =
  (load: (id: string) => Promise<Membership | null>) =>
  (ids: readonly string[]): Promise<Array<Membership | null>> =>
    Promise.all(ids.map(load));
import { principalClient, quickClients, text } from './messaging.testing.ts';

describe('MembershipCache', () => {
  it('loads a conversation once for concurrent callers and serves later calls from memory', async () => {
    let loads = 0;
    const cache = new MembershipCache(
      each(async (id) => {
        loads++;
        return membershipOf(id, 'group', ['a', 'b']);
      }),
      new MemoryBroker(),
    );
    const [x, y] = await Promise.all([cache.get('c1'), cache.get('c1')]);
    expect(x).toBe(y);
    expect((await cache.get('c1'))?.has('b')).toBe(true);
    expect(loads).toBe(1);
  });

  it('loads the misses of one turn of the event loop in one call', async () => {
    const batches: string[][] = [];
    const cache = new MembershipCache(async (ids) => {
      batches.push([...ids]);
      return ids.map((id) => (id === 'gone' ? null : membershipOf(id, 'direct', ['a', 'b'])));
    }, new MemoryBroker());
    await cache.get('c1');
    const [c2, gone, c3] = await Promise.all([cache.get('c2'), cache.get('gone'), cache.get('c3')]);
    expect([c2?.conversationId, gone, c3?.conversationId]).toEqual(['c2', null, 'c3']);
    expect(batches).toEqual([['c1'], ['c2', 'gone', 'c3']]);
  });

  it('drops its copy when any node announces a membership change on the broker', async () => {
    const broker = new MemoryBroker();
    let members = ['a'];
    const here = new MembershipCache(
      each(async (id) => membershipOf(id, 'group', members)),
      broker,
    );
    const there = new MembershipCache(
      each(async (id) => membershipOf(id, 'group', members)),
      broker,
    );
    expect((await here.get('c1'))?.has('b')).toBe(false);
    members = ['a', 'b'];
    there.changed('c1');
    await broker.flush();
    expect((await here.get('c1'))?.has('b')).toBe(true);
  });

  it('ignores malformed announcements and forgets failed loads', async () => {
    const broker = new MemoryBroker();
    let fail = true;
    const cache = new MembershipCache(
      each(async (id) => {
        if (fail) throw new Error('db down');
        return membershipOf(id, 'direct', ['a']);
      }),
      broker,
    );
    await expect(cache.get('c1')).rejects.toThrow('db down');
    fail = false;
    broker.publish(MEMBERS_CHANGED_SUBJECT, { conversationId: 42 });
    expect((await cache.get('c1'))?.kind).toBe('direct');
  });

  it('evicts the oldest entries beyond its size', async () => {
    let loads = 0;
    const cache = new MembershipCache(
      each(async (id) => (loads++, membershipOf(id, 'group', []))),
      new MemoryBroker(),
      2,
    );
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('a');
    expect(loads).toBe(4);
  });
});

describe.each(testDialects())('membership across two nodes (%s)', (dialect) => {
  let nodeA: App;
  let nodeB: App;
  beforeAll(async () => {
    [nodeA, nodeB] = await buildTwoNodes(dialect);
  });
  afterAll(() => closeNodes([nodeA, nodeB]));

  it('shuts a removed member out on a node that had the membership cached', async () => {
    const [owner, member] = await quickClients(nodeA, 2);
    const onA = principalClient(nodeA, member!.userId, 'member-on-a');
    const ownerOnB = principalClient(nodeB, owner!.userId, 'owner-on-b');
    const g = await owner!.call('groups.create', { title: 'two nodes', memberIds: [member!.userId] });
    await onA.call('messages.send', text(g.id, 'cached on A'));
    await ownerOnB.call('groups.removeMembers', { conversationId: g.id, userIds: [member!.userId] });
    await nodeB.platform.broker.flush();
    expect(await onA.fail('messages.send', text(g.id, 'after removal'))).toMatchObject({
      code: 'NOT_MEMBER',
    });
  });

  it('reads the memberships of many conversations in one query: a channel only its publishers, none for an unknown id', async () => {
    const [owner, admin, member] = await quickClients(nodeA, 3);
    const g = await owner!.call('groups.create', {
      title: 'batched',
      memberIds: [admin!.userId, member!.userId],
    });
    await owner!.call('groups.setAdmin', { conversationId: g.id, userId: admin!.userId, admin: true });
    const direct = await owner!.call('conversations.openDirect', { userId: member!.userId });
    const channels = nodeA.services.conversations.channels;
    const channel = await channels.create(owner!.userId, 'news', Date.now());
    await channels.subscribe(channel, [admin!.userId, member!.userId], Date.now());
    const repo = new MembersRepo(nodeA.platform.db, nodeA.platform.keyring);
    const [group, none, dm, news] = await repo.memberships([g.id, 'no-such-id', direct.id, channel]);
    const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();
    expect(group?.kind).toBe('group');
    expect(sorted(group?.memberIds)).toEqual(sorted([owner!.userId, admin!.userId, member!.userId]));
    expect(sorted(group?.privilegedIds)).toEqual(sorted([owner!.userId, admin!.userId]));
    expect(none).toBeNull();
    expect(dm?.kind).toBe('direct');
    expect(sorted(dm?.memberIds)).toEqual(sorted([owner!.userId, member!.userId]));
    expect(news).toEqual({ kind: 'channel', memberIds: [owner!.userId], privilegedIds: [owner!.userId] });
  });

  it('keeps seqs contiguous when two nodes commit to one conversation at once', async () => {
    const [u] = await quickClients(nodeA, 1);
    const onB = principalClient(nodeB, u!.userId, 'u-on-b');
    const { id } = await u!.call('conversations.openDirect', { userId: u!.userId });
    const sent = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 ? u! : onB).call('messages.send', text(id, `n${i}`))),
    );
    expect(sent.map((m) => m.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
  });
});
