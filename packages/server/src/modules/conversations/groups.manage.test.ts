import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  eventsNamed,
  recordEvents,
  restClient,
  text,
  type RecordedEvent,
  type TestClient,
} from './messaging.testing.ts';

/** Roles, settings, mutes and nicknames of groups, through the REST routes. */
describe.each(testDialects())('group management (%s)', (dialect) => {
  let app: App;
  let events: RecordedEvent[];
  let owner: TestClient;
  let admin: TestClient;
  let member: TestClient;
  let outsider: TestClient;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    events = recordEvents(app);
    [owner, admin, member, outsider] = await Promise.all([
      restClient(app),
      restClient(app),
      restClient(app),
      restClient(app),
    ]);
  });
  afterAll(() => app.close());

  async function group(title = 'team') {
    const g = await owner.call('groups.create', { title, memberIds: [admin.userId, member.userId] });
    await owner.call('groups.setAdmin', { conversationId: g.id, userId: admin.userId, admin: true });
    return g;
  }

  it('lets only the owner appoint admins, and tells every member', async () => {
    const g = await owner.call('groups.create', { title: 'roles', memberIds: [admin.userId, member.userId] });
    const mark = events.length;
    const { members } = await owner.call('groups.setAdmin', {
      conversationId: g.id,
      userId: admin.userId,
      admin: true,
    });
    expect(members.map((m) => [m.userId, m.role])).toEqual([
      [owner.userId, 'owner'],
      [admin.userId, 'admin'],
      [member.userId, 'member'],
    ]);
    const changed = eventsNamed(events, 'conversation.changed.v1', mark)[0];
    expect(changed?.body).toEqual({ conversationId: g.id, reason: 'group' });
    expect(new Set(changed?.recipients)).toEqual(new Set([owner.userId, admin.userId, member.userId]));
    expect(
      await admin.fail('groups.setAdmin', { conversationId: g.id, userId: member.userId, admin: true }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await outsider.fail('groups.setAdmin', { conversationId: g.id, userId: member.userId, admin: true }),
    ).toMatchObject({ code: 'NOT_MEMBER' });
    expect(
      await owner.fail('groups.setAdmin', { conversationId: g.id, userId: outsider.userId, admin: true }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const after = await owner.call('conversations.members', { conversationId: g.id });
    expect(after.members.find((m) => m.userId === member.userId)?.role).toBe('member');
  });

  it('protects the owner and admins from removal by admins', async () => {
    const g = await group();
    const other = await restClient(app);
    await owner.call('groups.addMembers', { conversationId: g.id, userIds: [other.userId] });
    await owner.call('groups.setAdmin', { conversationId: g.id, userId: other.userId, admin: true });
    expect(
      await admin.fail('groups.removeMembers', { conversationId: g.id, userIds: [owner.userId] }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await admin.fail('groups.removeMembers', { conversationId: g.id, userIds: [other.userId] }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await member.fail('groups.removeMembers', { conversationId: g.id, userIds: [other.userId] }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect((await owner.call('conversations.get', { conversationId: g.id })).memberCount).toBe(4);
    await owner.call('groups.removeMembers', { conversationId: g.id, userIds: [other.userId] });
    expect((await owner.call('conversations.get', { conversationId: g.id })).memberCount).toBe(3);
  });

  it('transfers ownership: the old owner becomes an admin; only the owner may', async () => {
    const g = await group();
    expect(
      await admin.fail('groups.transferOwnership', { conversationId: g.id, userId: admin.userId }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await owner.fail('groups.transferOwnership', { conversationId: g.id, userId: outsider.userId }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    const c = await owner.call('groups.transferOwnership', { conversationId: g.id, userId: member.userId });
    expect(c).toMatchObject({ ownerId: member.userId, role: 'admin' });
    const history = await member.call('messages.history', { conversationId: g.id });
    expect(history.messages.at(-1)?.content).toMatchObject({
      kind: 'system',
      event: 'ownerTransferred',
      userIds: [member.userId],
    });
  });

  it('shows the announcement to every member and posts it as a system message to all', async () => {
    const g = await group();
    expect(
      await member.fail('groups.setAnnouncement', { conversationId: g.id, text: '我说了算' }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await admin.fail('groups.setAnnouncement', { conversationId: g.id, text: 'x'.repeat(2001) }),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await member.call('conversations.get', { conversationId: g.id })).group?.announcement).toBeNull();
    const mark = events.length;
    await admin.call('groups.setAnnouncement', { conversationId: g.id, text: '周五发版，请大家注意' });
    const seen = await member.call('conversations.get', { conversationId: g.id });
    expect(seen.group?.announcement).toMatchObject({ text: '周五发版，请大家注意', byUserId: admin.userId });
    expect(seen.mentionedMe).toBe(true);
    const posted = eventsNamed(events, 'message.created.v1', mark)[0];
    expect(posted?.body).toMatchObject({
      senderId: admin.userId,
      mentions: ['all'],
      content: { kind: 'system', event: 'announcement', text: '周五发版，请大家注意' },
    });
    expect(posted?.recipients).toHaveLength(3);
    // The stored copy is sealed: the text is nowhere in the settings row.
    const row = await app.platform.db
      .selectFrom('group_settings')
      .selectAll()
      .where('conversation_id', '=', g.id)
      .executeTakeFirstOrThrow();
    expect(row.announcement_enc).not.toContain('发版');
    await admin.call('groups.setAnnouncement', { conversationId: g.id, text: '' });
    expect((await member.call('conversations.get', { conversationId: g.id })).group?.announcement).toBeNull();
  });

  it('mutes everyone but the owner and admins, and one member until a time', async () => {
    const g = await group();
    expect(await member.fail('groups.muteAll', { conversationId: g.id, on: true })).toMatchObject({
      code: 'FORBIDDEN',
    });
    await admin.call('groups.muteAll', { conversationId: g.id, on: true });
    expect(await member.fail('messages.send', text(g.id, 'let me talk'))).toMatchObject({
      status: 403,
      code: 'MEMBER_MUTED',
    });
    expect((await member.call('conversations.get', { conversationId: g.id })).group?.muteAll).toBe(true);
    await admin.call('messages.send', text(g.id, 'admins may'));
    await owner.call('messages.send', text(g.id, 'owners may'));
    await owner.call('groups.muteAll', { conversationId: g.id, on: false });
    await member.call('messages.send', text(g.id, 'free again'));

    const until = Date.now() + 60_000;
    const { members } = await admin.call('groups.muteMember', {
      conversationId: g.id,
      userId: member.userId,
      untilMs: until,
    });
    expect(members.find((m) => m.userId === member.userId)?.mutedUntil).toBe(until);
    expect(await member.fail('messages.send', text(g.id, 'muted?'))).toMatchObject({ code: 'MEMBER_MUTED' });
    expect((await member.call('conversations.get', { conversationId: g.id })).group?.myMutedUntil).toBe(
      until,
    );
    expect(
      await admin.fail('groups.muteMember', { conversationId: g.id, userId: owner.userId, untilMs: until }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await member.fail('groups.muteMember', { conversationId: g.id, userId: admin.userId, untilMs: until }),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await admin.fail('groups.muteMember', {
        conversationId: g.id,
        userId: member.userId,
        untilMs: Date.now() - 1000,
      }),
    ).toMatchObject({ code: 'BAD_REQUEST' });
    await admin.call('groups.muteMember', { conversationId: g.id, userId: member.userId, untilMs: null });
    await member.call('messages.send', text(g.id, 'unmuted'));
  });

  it('keeps a group nickname per member, returned with the members', async () => {
    const g = await group();
    const { members } = await member.call('groups.setMyNickname', {
      conversationId: g.id,
      nickname: ' 小张 ',
    });
    expect(members.find((m) => m.userId === member.userId)?.nickname).toBe('小张');
    expect(members.find((m) => m.userId === owner.userId)?.nickname).toBeNull();
    expect(
      await member.fail('groups.setMyNickname', { conversationId: g.id, nickname: '长'.repeat(33) }),
    ).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(
      await outsider.fail('groups.setMyNickname', { conversationId: g.id, nickname: 'x' }),
    ).toMatchObject({
      code: 'NOT_MEMBER',
    });
    const again = await owner.call('conversations.members', { conversationId: g.id });
    expect(again.members.find((m) => m.userId === member.userId)?.nickname).toBe('小张');
  });

  it('sets the avatar from an uploaded image only', async () => {
    const g = await group();
    expect(
      await admin.fail('groups.setAvatar', { conversationId: g.id, imageId: 'nosuchimage0000000000' }),
    ).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const ref = await admin.call('images.upload', { mime: 'image/png', dataBase64: png.toString('base64') });
    expect(await member.fail('groups.setAvatar', { conversationId: g.id, imageId: ref.id })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const c = await admin.call('groups.setAvatar', { conversationId: g.id, imageId: ref.id });
    expect(c.group?.avatarImageId).toBe(ref.id);
  });

  it('turns plain members’ invitations into join requests when approval is on', async () => {
    const g = await group();
    const [x, y] = await Promise.all([restClient(app), restClient(app)]);
    expect(
      await member.fail('groups.setJoinApproval', { conversationId: g.id, required: true }),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    await admin.call('groups.setJoinApproval', { conversationId: g.id, required: true });
    const mark = events.length;
    const res = await member.call('groups.addMembers', {
      conversationId: g.id,
      userIds: [x.userId, y.userId],
    });
    expect(res.requested).toEqual([x.userId, y.userId]);
    expect(res.members).toHaveLength(3);
    const told = eventsNamed(events, 'conversation.changed.v1', mark).find(
      (e) => e.body.reason === 'joinRequests',
    );
    expect(new Set(told?.recipients)).toEqual(new Set([owner.userId, admin.userId]));
    expect(await member.fail('groups.joinRequests', { conversationId: g.id })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const { requests } = await admin.call('groups.joinRequests', { conversationId: g.id });
    expect(requests.map((r) => [r.userId, r.inviterId])).toEqual([
      [x.userId, member.userId],
      [y.userId, member.userId],
    ]);
    const [rx, ry] = requests as [(typeof requests)[0], (typeof requests)[0]];
    const approved = await admin.call('groups.approveJoin', { conversationId: g.id, requestId: rx.id });
    expect(approved.members.map((m) => m.userId)).toContain(x.userId);
    expect(await admin.call('groups.declineJoin', { conversationId: g.id, requestId: ry.id })).toEqual({
      ok: true,
    });
    expect(await admin.fail('groups.declineJoin', { conversationId: g.id, requestId: ry.id })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await admin.call('groups.joinRequests', { conversationId: g.id })).requests).toEqual([]);
    expect(await y.fail('conversations.get', { conversationId: g.id })).toMatchObject({ code: 'NOT_MEMBER' });
    // Admins invite directly even with approval on.
    const z = await restClient(app);
    const direct = await admin.call('groups.addMembers', { conversationId: g.id, userIds: [z.userId] });
    expect(direct.requested).toBeUndefined();
    expect(direct.members.map((m) => m.userId)).toContain(z.userId);
  });

  it('dissolves for the owner only: members told, history kept, sending refused', async () => {
    const g = await group();
    await member.call('messages.send', text(g.id, 'last words'));
    expect(await admin.fail('groups.dissolve', { conversationId: g.id })).toMatchObject({
      code: 'FORBIDDEN',
    });
    const mark = events.length;
    expect(await owner.call('groups.dissolve', { conversationId: g.id })).toEqual({ ok: true });
    const changed = eventsNamed(events, 'conversation.changed.v1', mark).find(
      (e) => e.body.reason === 'dissolved',
    );
    expect(new Set(changed?.recipients)).toEqual(new Set([owner.userId, admin.userId, member.userId]));
    expect(eventsNamed(events, 'message.created.v1', mark)[0]?.body.content).toMatchObject({
      kind: 'system',
      event: 'dissolved',
      actorId: owner.userId,
    });
    expect(await member.fail('messages.send', text(g.id, 'hello?'))).toMatchObject({
      status: 410,
      code: 'GROUP_DISSOLVED',
    });
    expect(await owner.fail('messages.send', text(g.id, 'even me'))).toMatchObject({
      code: 'GROUP_DISSOLVED',
    });
    const history = await member.call('messages.history', { conversationId: g.id });
    const kinds = [...history.messages].sort((a, b) => a.seq - b.seq).map((m) => m.content?.kind);
    expect(kinds).toEqual(['text', 'system']);
    expect((await member.call('conversations.get', { conversationId: g.id })).group?.dissolvedAt).toBeTypeOf(
      'number',
    );
    expect(await admin.fail('groups.rename', { conversationId: g.id, title: 'revived' })).toMatchObject({
      code: 'GROUP_DISSOLVED',
    });
    expect(await owner.fail('groups.dissolve', { conversationId: g.id })).toMatchObject({
      code: 'GROUP_DISSOLVED',
    });
    // Leaving a dissolved group is allowed, even for its owner.
    expect(await owner.call('groups.leave', { conversationId: g.id })).toEqual({ ok: true });
  });

  // Regression: only sending was refused after dissolving, so members could still edit, recall and
  // react to the "read-only" history.
  it("keeps a dissolved group's history read-only: no edits, recalls or reactions", async () => {
    const g = await group();
    const sent = await member.call('messages.send', text(g.id, 'before the end'));
    await owner.call('groups.dissolve', { conversationId: g.id });
    const ref = { conversationId: g.id, seq: sent.seq };
    const dissolved = { status: 410, code: 'GROUP_DISSOLVED' };
    expect(
      await member.fail('messages.edit', { ...ref, content: { kind: 'text', text: 'rewritten' } }),
    ).toMatchObject(dissolved);
    expect(await member.fail('messages.recall', ref)).toMatchObject(dissolved);
    expect(await owner.fail('messages.react', { ...ref, emoji: '👍', on: true })).toMatchObject(dissolved);
    const [kept] = (await member.call('messages.history', { conversationId: g.id, afterSeq: sent.seq - 1 }))
      .messages;
    expect(kept).toMatchObject({ content: { kind: 'text', text: 'before the end' }, editedAt: null });
    expect(kept?.reactions).toEqual([]);
  });

  // Regression: a muted member could not send, but could still rewrite an old message of theirs.
  it('refuses edits by a muted member, who may still recall and react', async () => {
    const g = await group();
    const sent = await member.call('messages.send', text(g.id, 'said before the mute'));
    const ref = { conversationId: g.id, seq: sent.seq };
    await admin.call('groups.muteMember', {
      conversationId: g.id,
      userId: member.userId,
      untilMs: Date.now() + 60_000,
    });
    expect(
      await member.fail('messages.edit', { ...ref, content: { kind: 'text', text: 'said after all' } }),
    ).toMatchObject({ status: 403, code: 'MEMBER_MUTED' });
    expect((await member.call('messages.react', { ...ref, emoji: '👍', on: true })).reactions).toHaveLength(
      1,
    );
    expect((await member.call('messages.recall', ref)).recalledAt).toBeTypeOf('number');
  });
});
