import { MAX_GROUP_MEMBERS } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  eventsNamed,
  quickClients,
  recordEvents,
  restClient,
  text,
  type RecordedEvent,
  type TestClient,
} from './messaging.testing.ts';

describe.each(testDialects())('groups (%s)', (dialect) => {
  let app: App;
  let events: RecordedEvent[];
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let dave: TestClient;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    events = recordEvents(app);
    [alice, bob, carol, dave] = await Promise.all([
      restClient(app),
      restClient(app),
      restClient(app),
      restClient(app),
    ]);
  });
  afterAll(() => app.close());

  it('creates a group owned by its creator and tells every member', async () => {
    const mark = events.length;
    const g = await alice.call('groups.create', {
      title: '产品组',
      memberIds: [bob.userId, carol.userId, alice.userId],
    });
    expect(g).toMatchObject({
      kind: 'group',
      title: '产品组',
      ownerId: alice.userId,
      role: 'owner',
      memberCount: 3,
      lastSeq: 0,
      peerId: null,
    });
    expect((await bob.call('conversations.get', { conversationId: g.id })).role).toBe('member');
    const [created] = eventsNamed(events, 'conversation.changed.v1', mark);
    expect(created?.body).toEqual({ conversationId: g.id, reason: 'created' });
    expect(new Set(created?.recipients)).toEqual(new Set([alice.userId, bob.userId, carol.userId]));
  });

  it('refuses unknown users with NOT_FOUND naming them, and creates nothing', async () => {
    const res = await alice.fail('groups.create', {
      title: 'ghosts',
      memberIds: [bob.userId, 'ghost000000000000000000001'],
    });
    expect(res).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      details: { userIds: ['ghost000000000000000000001'] },
    });
  });

  it('renames for the owner, tells the members, and refuses plain members with FORBIDDEN', async () => {
    const g = await alice.call('groups.create', { title: 'old', memberIds: [bob.userId] });
    const mark = events.length;
    expect((await alice.call('groups.rename', { conversationId: g.id, title: 'new' })).title).toBe('new');
    expect(eventsNamed(events, 'conversation.changed.v1', mark)[0]?.body).toEqual({
      conversationId: g.id,
      reason: 'title',
    });
    expect(await bob.fail('groups.rename', { conversationId: g.id, title: 'mine now' })).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('lets any member invite; newcomers can send at once and start with nothing unread', async () => {
    const g = await alice.call('groups.create', { title: 'invite', memberIds: [bob.userId] });
    await alice.call('messages.send', text(g.id, 'before carol'));
    const mark = events.length;
    const { members } = await bob.call('groups.addMembers', {
      conversationId: g.id,
      userIds: [carol.userId, bob.userId],
    });
    expect(members.map((m) => m.userId)).toEqual([alice.userId, bob.userId, carol.userId]);
    const [changed] = eventsNamed(events, 'conversation.changed.v1', mark);
    expect(changed?.body.reason).toBe('members');
    expect(new Set(changed?.recipients)).toEqual(new Set([alice.userId, bob.userId, carol.userId]));
    expect(await carol.call('conversations.get', { conversationId: g.id })).toMatchObject({
      unreadCount: 0,
      memberCount: 3,
    });
    expect((await carol.call('messages.send', text(g.id, 'hi all'))).seq).toBe(2);
    expect(
      await dave.fail('groups.addMembers', { conversationId: g.id, userIds: [dave.userId] }),
    ).toMatchObject({ code: 'NOT_MEMBER' });
  });

  it('removes members (owner only), tells the removed, and shuts them out at once', async () => {
    const g = await alice.call('groups.create', { title: 'remove', memberIds: [bob.userId, carol.userId] });
    await carol.call('messages.send', text(g.id, 'cached membership'));
    expect(
      await bob.fail('groups.removeMembers', { conversationId: g.id, userIds: [carol.userId] }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await alice.fail('groups.removeMembers', { conversationId: g.id, userIds: [alice.userId] }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    const mark = events.length;
    const { members } = await alice.call('groups.removeMembers', {
      conversationId: g.id,
      userIds: [carol.userId],
    });
    expect(members.map((m) => m.userId)).toEqual([alice.userId, bob.userId]);
    const changes = eventsNamed(events, 'conversation.changed.v1', mark);
    expect(changes.find((e) => e.body.reason === 'removed')?.recipients).toEqual([carol.userId]);
    expect(new Set(changes.find((e) => e.body.reason === 'members')?.recipients)).toEqual(
      new Set([alice.userId, bob.userId]),
    );
    expect(await carol.fail('messages.send', text(g.id, 'still here?'))).toMatchObject({
      code: 'NOT_MEMBER',
    });
    expect((await alice.call('conversations.get', { conversationId: g.id })).memberCount).toBe(2);
  });

  it('makes the owner transfer before leaving (OWNER_MUST_TRANSFER); the last one empties it', async () => {
    const g = await alice.call('groups.create', { title: 'leave', memberIds: [bob.userId] });
    await bob.call('groups.addMembers', { conversationId: g.id, userIds: [carol.userId] });
    expect(await alice.fail('groups.leave', { conversationId: g.id })).toMatchObject({
      status: 409,
      code: 'OWNER_MUST_TRANSFER',
    });
    expect((await bob.call('conversations.get', { conversationId: g.id })).memberCount).toBe(3);
    await alice.call('groups.transferOwnership', { conversationId: g.id, userId: bob.userId });
    expect(await alice.call('groups.leave', { conversationId: g.id })).toEqual({ ok: true });
    const seen = await bob.call('conversations.get', { conversationId: g.id });
    expect(seen).toMatchObject({ ownerId: bob.userId, role: 'owner', memberCount: 2 });
    expect(await alice.fail('conversations.get', { conversationId: g.id })).toMatchObject({
      code: 'NOT_MEMBER',
    });
    await carol.call('groups.leave', { conversationId: g.id });
    await bob.call('groups.leave', { conversationId: g.id });
    const row = await app.platform.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', g.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ member_count: 0, owner_id: null });
    expect(await bob.fail('groups.leave', { conversationId: g.id })).toMatchObject({ code: 'NOT_MEMBER' });
  });

  it('refuses group operations on a direct chat', async () => {
    const chat = await alice.call('conversations.openDirect', { userId: dave.userId });
    expect(await alice.fail('groups.leave', { conversationId: chat.id })).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(
      await alice.fail('groups.addMembers', { conversationId: chat.id, userIds: [carol.userId] }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('holds at most 1,000 members: creating with 999 others works, one more is GROUP_FULL', async () => {
    const crowd = await quickClients(app, MAX_GROUP_MEMBERS);
    const [owner, ...others] = crowd as [TestClient, ...TestClient[]];
    const invited = others.slice(0, MAX_GROUP_MEMBERS - 1).map((c) => c.userId);
    const g = await owner.call('groups.create', { title: 'big', memberIds: invited });
    expect(g.memberCount).toBe(MAX_GROUP_MEMBERS);
    const full = await owner.fail('groups.addMembers', { conversationId: g.id, userIds: [alice.userId] });
    expect(full).toMatchObject({ status: 422, code: 'GROUP_FULL' });
    // Joining by the group code, or an approved join request, meets the same cap; nothing changes.
    const { code } = await owner.call('groups.code', { conversationId: g.id });
    expect(await alice.fail('groups.joinByCode', { code })).toMatchObject({ code: 'GROUP_FULL' });
    await owner.call('groups.setJoinApproval', { conversationId: g.id, required: true });
    expect(await alice.call('groups.joinByCode', { code })).toMatchObject({ status: 'requested' });
    const [request] = (await owner.call('groups.joinRequests', { conversationId: g.id })).requests;
    expect(
      await owner.fail('groups.approveJoin', { conversationId: g.id, requestId: request?.id ?? '' }),
    ).toMatchObject({ code: 'GROUP_FULL' });
    expect((await owner.call('conversations.get', { conversationId: g.id })).memberCount).toBe(
      MAX_GROUP_MEMBERS,
    );
    await owner.call('groups.setJoinApproval', { conversationId: g.id, required: false });
    // A send to 1,000 members is one stored copy and one event naming them all.
    const mark = events.length;
    await owner.call('messages.send', text(g.id, '全员通知'));
    expect(eventsNamed(events, 'message.created.v1', mark)[0]?.recipients).toHaveLength(MAX_GROUP_MEMBERS);
    // The schema caps the invite list at 999 others.
    expect(
      await alice.fail('groups.create', { title: 'too big', memberIds: [...invited, owner.userId] }),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('keeps the cap when two invitations race', async () => {
    const crowd = await quickClients(app, 12);
    const [owner, ...rest] = crowd as [TestClient, ...TestClient[]];
    const g = await owner.call('groups.create', {
      title: 'race',
      memberIds: rest.slice(0, 2).map((c) => c.userId),
    });
    // Fill to 996, then two invites of 3 each race for the last 4 places.
    const filler = await quickClients(app, MAX_GROUP_MEMBERS - 4 - 3);
    for (let i = 0; i < filler.length; i += 500) {
      await owner.call('groups.addMembers', {
        conversationId: g.id,
        userIds: filler.slice(i, i + 500).map((c) => c.userId),
      });
    }
    const a = rest.slice(2, 5).map((c) => c.userId);
    const b = rest.slice(5, 8).map((c) => c.userId);
    const results = await Promise.allSettled([
      owner.call('groups.addMembers', { conversationId: g.id, userIds: a }),
      owner.call('groups.addMembers', { conversationId: g.id, userIds: b }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const { members } = await owner.call('conversations.members', { conversationId: g.id });
    expect(members).toHaveLength(MAX_GROUP_MEMBERS - 1);
  });
});
