import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { SYNC_OVERLAP_MS } from './index.ts';
import {
  eventsNamed,
  principalClient,
  recordEvents,
  restClient,
  text,
  type RecordedEvent,
  type TestClient,
} from './messaging.testing.ts';

describe.each(testDialects())('conversations (%s)', (dialect) => {
  let app: App;
  let events: RecordedEvent[];
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    events = recordEvents(app);
    [alice, bob, carol] = await Promise.all([restClient(app), restClient(app), restClient(app)]);
  });
  afterAll(() => app.close());

  it('opens one direct chat per pair of users, whoever opens it', async () => {
    const mark = events.length;
    const mine = await alice.call('conversations.openDirect', { userId: bob.userId });
    const created = eventsNamed(events, 'conversation.changed.v1', mark);
    expect(created).toEqual([
      {
        recipients: [alice.userId, bob.userId],
        event: 'conversation.changed.v1',
        body: { conversationId: mine.id, reason: 'created' },
        exceptSessionId: alice.sessionId,
      },
    ]);
    const theirs = await bob.call('conversations.openDirect', { userId: alice.userId });
    expect(theirs.id).toBe(mine.id);
    expect(mine).toMatchObject({
      kind: 'direct',
      title: '',
      peerId: bob.userId,
      memberCount: 2,
      role: 'member',
      ownerId: null,
    });
    expect(theirs.peerId).toBe(alice.userId);
  });

  it('opens both users at once into the same direct chat', async () => {
    const [a, b] = await Promise.all([
      carol.call('conversations.openDirect', { userId: bob.userId }),
      bob.call('conversations.openDirect', { userId: carol.userId }),
    ]);
    expect(a.id).toBe(b.id);
  });

  it('allows a chat with oneself', async () => {
    const self = await alice.call('conversations.openDirect', { userId: alice.userId });
    expect(self).toMatchObject({ kind: 'direct', peerId: alice.userId, memberCount: 1 });
    expect((await alice.call('messages.send', text(self.id, 'note to self'))).seq).toBe(1);
  });

  it('refuses a direct chat with a user who does not exist', async () => {
    expect(
      await alice.fail('conversations.openDirect', { userId: 'nobody00000000000000000000' }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps a new direct chat hidden for the peer until the first message', async () => {
    const dave = await restClient(app);
    const chat = await alice.call('conversations.openDirect', { userId: dave.userId });
    expect((await dave.call('conversations.get', { conversationId: chat.id })).me.hidden).toBe(true);
    await alice.call('messages.send', text(chat.id, 'hi dave'));
    expect((await dave.call('conversations.get', { conversationId: chat.id })).me.hidden).toBe(false);
  });

  it('shows the last message, unread count (others only) and mentions, until read', async () => {
    const chat = (await alice.call('groups.create', { title: 'unread', memberIds: [bob.userId] })).id;
    await alice.call('messages.send', text(chat, 'one'));
    await bob.call('messages.send', text(chat, 'mine'));
    await alice.call('messages.send', { ...text(chat, 'hey @bob'), mentions: [bob.userId] });
    const seen = await bob.call('conversations.get', { conversationId: chat });
    expect(seen).toMatchObject({ lastSeq: 3, unreadCount: 2, mentionedMe: true });
    expect(seen.lastMessage?.content).toEqual({ kind: 'text', text: 'hey @bob' });
    expect((await alice.call('conversations.get', { conversationId: chat })).mentionedMe).toBe(false);
    await bob.call('conversations.markRead', { conversationId: chat, seq: 3 });
    expect(await bob.call('conversations.get', { conversationId: chat })).toMatchObject({
      unreadCount: 0,
      mentionedMe: false,
    });
  });

  it('moves the read position only forward, never past the last message, and tells the members', async () => {
    const chat = (await alice.call('groups.create', { title: 'reads', memberIds: [bob.userId] })).id;
    for (let i = 0; i < 3; i++) await alice.call('messages.send', text(chat, `r${i}`));
    const mark = events.length;
    expect(await bob.call('conversations.markRead', { conversationId: chat, seq: 2 })).toEqual({
      conversationId: chat,
      readSeq: 2,
    });
    expect(await bob.call('conversations.markRead', { conversationId: chat, seq: 1 })).toEqual({
      conversationId: chat,
      readSeq: 2,
    });
    expect(await bob.call('conversations.markRead', { conversationId: chat, seq: 99 })).toEqual({
      conversationId: chat,
      readSeq: 3,
    });
    const reads = eventsNamed(events, 'conversation.read.v1', mark);
    expect(reads.map((e) => e.body.readSeq)).toEqual([2, 3]);
    expect(new Set(reads[0]?.recipients)).toEqual(new Set([alice.userId, bob.userId]));
    expect(reads[0]?.exceptSessionId).toBe(bob.sessionId);
  });

  it('saves pin, mute and hide per member and syncs them to my other devices only', async () => {
    const chat = (await alice.call('groups.create', { title: 'settings', memberIds: [bob.userId] })).id;
    const mark = events.length;
    const settings = await bob.call('conversations.updateSettings', {
      conversationId: chat,
      pinned: true,
      muted: true,
    });
    expect(settings).toMatchObject({ conversationId: chat, pinned: true, muted: true, hidden: false });
    expect((await alice.call('conversations.get', { conversationId: chat })).me).toMatchObject({
      pinned: false,
      muted: false,
    });
    const [pushed] = eventsNamed(events, 'member.settings.v1', mark);
    expect(pushed).toMatchObject({
      recipients: [bob.userId],
      exceptSessionId: bob.sessionId,
      body: settings,
    });
  });

  it('keeps a draft encrypted, syncs it to my devices, and clears it with empty text', async () => {
    const chat = (await alice.call('groups.create', { title: 'drafts', memberIds: [bob.userId] })).id;
    const phone = principalClient(app, alice.userId, 'alice-phone');
    const saved = await alice.call('conversations.saveDraft', { conversationId: chat, text: '写了一半的话' });
    expect(saved.draft?.text).toBe('写了一半的话');
    expect((await phone.call('conversations.get', { conversationId: chat })).me.draft?.text).toBe(
      '写了一半的话',
    );
    const row = await app.platform.db
      .selectFrom('members')
      .select('draft_enc')
      .where('conversation_id', '=', chat)
      .where('user_id', '=', alice.userId)
      .executeTakeFirstOrThrow();
    expect(row.draft_enc).not.toContain('写了');
    const mark = events.length;
    expect(
      (await phone.call('conversations.saveDraft', { conversationId: chat, text: '' })).draft,
    ).toBeNull();
    expect(eventsNamed(events, 'member.settings.v1', mark)[0]).toMatchObject({
      recipients: [alice.userId],
      exceptSessionId: 'alice-phone',
    });
  });

  it('lists only conversations changed since the cursor, which trails the clock by the overlap', async () => {
    const first = await carol.call('conversations.list', {});
    expect(first.cursor).toBeLessThanOrEqual(Date.now() - SYNC_OVERLAP_MS);
    // Past the overlap nothing has changed.
    const quiet = await carol.call('conversations.list', { since: Date.now() + 1 });
    expect(quiet.conversations).toEqual([]);
    const mark = Date.now();
    const chat = (await alice.call('groups.create', { title: 'new for carol', memberIds: [carol.userId] }))
      .id;
    const changed = await carol.call('conversations.list', { since: mark - 1 });
    expect(changed.conversations.map((c) => c.id)).toContain(chat);
    const pinMark = Date.now() + 1;
    while (Date.now() < pinMark + 1) await new Promise((r) => setTimeout(r, 1));
    await carol.call('conversations.updateSettings', { conversationId: chat, pinned: true });
    const pinned = await carol.call('conversations.list', { since: pinMark });
    expect(pinned.conversations.map((c) => c.id)).toEqual([chat]);
    expect(pinned.conversations[0]?.me.pinned).toBe(true);
  });

  it('lists all my conversations without a cursor, hidden ones included', async () => {
    const all = await bob.call('conversations.list', {});
    const ids = all.conversations.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.conversations.every((c) => c.me.conversationId === c.id)).toBe(true);
    expect(ids.length).toBeGreaterThanOrEqual(5);
  });

  it('refuses conversations I am not in with NOT_MEMBER, and unknown ones with NOT_FOUND', async () => {
    const chat = (await alice.call('groups.create', { title: 'private', memberIds: [bob.userId] })).id;
    expect(await carol.fail('conversations.get', { conversationId: chat })).toMatchObject({
      status: 403,
      code: 'NOT_MEMBER',
    });
    expect(await carol.fail('conversations.members', { conversationId: chat })).toMatchObject({
      code: 'NOT_MEMBER',
    });
    expect(await carol.fail('conversations.markRead', { conversationId: chat, seq: 1 })).toMatchObject({
      code: 'NOT_MEMBER',
    });
    expect(
      await carol.fail('conversations.get', { conversationId: 'missing0000000000000000000' }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sends typing to the other members only, without storing it', async () => {
    const chat = (
      await alice.call('groups.create', { title: 'typing', memberIds: [bob.userId, carol.userId] })
    ).id;
    const mark = events.length;
    expect(await alice.call('conversations.typing', { conversationId: chat, typing: true })).toEqual({
      ok: true,
    });
    const [typing] = eventsNamed(events, 'typing.v1', mark);
    expect(new Set(typing?.recipients)).toEqual(new Set([bob.userId, carol.userId]));
    expect(typing?.body).toEqual({ conversationId: chat, userId: alice.userId, typing: true });
  });

  it('lists members with roles, join times and read positions', async () => {
    const chat = (await alice.call('groups.create', { title: 'roster', memberIds: [bob.userId] })).id;
    const { members } = await bob.call('conversations.members', { conversationId: chat });
    expect(members.map((m) => [m.userId, m.role, m.readSeq])).toEqual([
      [alice.userId, 'owner', 0],
      [bob.userId, 'member', 0],
    ]);
  });
});
