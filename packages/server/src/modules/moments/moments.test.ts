import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice } from '../../testing/devices.ts';
import {
  callOp,
  errorOf,
  loginUser,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';
import { unfinishedUpload } from '../filerefs/filerefs.testing.ts';
import { newId } from '../../platform/ids.ts';
import { MomentsRepo } from './index.ts';
import { photo, post, uploadFile, video } from './moments.testing.ts';

const HOUR_MS = 3_600_000;

describe.each(testDialects())('moments (%s)', (dialect) => {
  let app: App;
  let base: string;
  let port: number;
  let author: TestUser;
  let friend: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({
      dialect,
      config: { moments: { maxVideoBytes: 200_000, maxVideoSeconds: 2 } },
    });
    port = await app.listen();
    base = `http://127.0.0.1:${port}`;
    [author, friend, stranger] = [await registerUser(app), await registerUser(app), await registerUser(app)];
    await befriend(app, author, friend);
  });
  afterAll(() => app.close());

  const image = async (u: TestUser) =>
    (await uploadFile(app, base, u, await photo(), 'p.jpg', 'image/jpeg')).id;
  const mineCount = async (u: TestUser) =>
    (await mustCall(app, 'moments.feed', { scope: 'mine', limit: 50 }, u.accessToken)).items.length;

  it('posts nine images with a location and a mention; the files follow the post’s visibility', async () => {
    const fileIds: string[] = [];
    for (let i = 0; i < 9; i++) fileIds.push(await image(author));
    const created = await mustCall(
      app,
      'moments.create',
      { text: '九宫格', fileIds, visibility: 'friends', location: '北京', mentions: [friend.userId] },
      author.accessToken,
    );
    expect(created.media.map((m) => m.fileId)).toEqual(fileIds);
    expect(created.media.every((m) => m.kind === 'image' && m.width === 64)).toBe(true);
    expect(created).toMatchObject({ location: '北京', mentions: [friend.userId], visibility: 'friends' });
    const notes = await mustCall(app, 'moments.notifications', {}, friend.accessToken);
    expect(notes.items[0]).toMatchObject({
      kind: 'mention',
      postId: created.id,
      actorId: author.userId,
      read: false,
    });
    expect(notes.unread).toBeGreaterThan(0);
    await mustCall(app, 'moments.markNotificationsRead', {}, friend.accessToken);
    expect((await mustCall(app, 'moments.notifications', {}, friend.accessToken)).unread).toBe(0);
    expect((await callOp(app, 'files.link', { id: fileIds[0] }, friend.accessToken)).status).toBe(200);
    expect(errorOf(await callOp(app, 'files.link', { id: fileIds[0] }, stranger.accessToken)).code).toBe(
      'FILE_NOT_FOUND',
    );
  });

  it('posts one short video; refuses a long one, a large one and a video with images', async () => {
    const clip = await uploadFile(app, base, author, await video(1), 'v.mp4', 'video/mp4');
    const ok = await mustCall(
      app,
      'moments.create',
      { text: '', fileIds: [clip.id], visibility: 'everyone' },
      author.accessToken,
    );
    expect(ok.media[0]).toMatchObject({ kind: 'video', fileId: clip.id });
    const before = await mineCount(author);
    const long = await uploadFile(app, base, author, await video(3), 'long.mp4', 'video/mp4');
    const large = await uploadFile(
      app,
      base,
      author,
      await video(1, '1280x720', '4M'),
      'big.mp4',
      'video/mp4',
    );
    expect(large.size).toBeGreaterThan(200_000);
    const cases: Array<[string[], string]> = [
      [[long.id], 'MOMENT_VIDEO_TOO_LONG'],
      [[large.id], 'MOMENT_VIDEO_TOO_LARGE'],
      [[clip.id, await image(author)], 'MOMENT_MEDIA_INVALID'],
    ];
    for (const [fileIds, code] of cases) {
      const res = await callOp(
        app,
        'moments.create',
        { text: 'x', fileIds, visibility: 'everyone' },
        author.accessToken,
      );
      expect(errorOf(res).code).toBe(code);
    }
    expect(await mineCount(author)).toBe(before);
  });

  it('refuses bad posts with typed errors and stores nothing', async () => {
    const before = await mineCount(author);
    const ten = Array.from({ length: 10 }, (_, i) => `file${i}`);
    const foreign = await image(stranger);
    const pending = await unfinishedUpload(base, author, 1000);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ text: '十张', fileIds: ten, visibility: 'everyone' }, 'VALIDATION_FAILED'],
      [{ text: 'x'.repeat(2001), visibility: 'everyone' }, 'VALIDATION_FAILED'],
      [{ text: '别人的图', fileIds: [foreign], visibility: 'everyone' }, 'FILE_NOT_FOUND'],
      [{ text: '没传完', fileIds: [pending], visibility: 'everyone' }, 'FILE_NOT_READY'],
      [{ text: '  ', visibility: 'everyone' }, 'MOMENT_EMPTY'],
      [
        { text: '提到陌生人', visibility: 'friends', mentions: [stranger.userId] },
        'MOMENT_MENTION_NOT_VISIBLE',
      ],
      [{ text: '公开', visibility: 'public' }, 'VALIDATION_FAILED'],
    ];
    for (const [body, code] of cases) {
      expect(errorOf(await callOp(app, 'moments.create', body, author.accessToken)).code, code).toBe(code);
    }
    expect(await mineCount(author)).toBe(before);
  });

  it("refuses changes to someone else's post and leaves it as it was", async () => {
    const id = await post(app, author, 'everyone', '原样');
    expect(
      errorOf(await callOp(app, 'moments.setVisibility', { id, visibility: 'self' }, friend.accessToken)),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(errorOf(await callOp(app, 'moments.delete', { id }, stranger.accessToken)).code).toBe('FORBIDDEN');
    const still = await mustCall(app, 'moments.get', { id }, author.accessToken);
    expect(still).toMatchObject({ text: '原样', visibility: 'everyone' });
    await mustCall(app, 'moments.delete', { id }, author.accessToken);
    expect(errorOf(await callOp(app, 'moments.get', { id }, author.accessToken)).code).toBe(
      'MOMENT_NOT_FOUND',
    );
  });

  it('likes are idempotent; comments and replies notify; comments are deleted by their author or the post’s', async () => {
    const id = await post(app, author, 'friends', '点赞');
    await mustCall(app, 'moments.like', { postId: id }, friend.accessToken);
    const liked = await mustCall(app, 'moments.like', { postId: id }, friend.accessToken);
    expect(liked.likes.map((l) => l.userId)).toEqual([friend.userId]);
    expect(liked.likedByMe).toBe(true);
    const c = await mustCall(app, 'moments.comment', { postId: id, text: '好' }, friend.accessToken);
    const r = await mustCall(
      app,
      'moments.comment',
      { postId: id, text: '嗯', replyToCommentId: c.id },
      author.accessToken,
    );
    expect(r).toMatchObject({ replyToCommentId: c.id, replyToUserId: friend.userId });
    const theirs = await mustCall(app, 'moments.notifications', {}, friend.accessToken);
    expect(theirs.items[0]).toMatchObject({ kind: 'reply', commentId: r.id, text: '嗯' });
    const mine = await mustCall(app, 'moments.notifications', {}, author.accessToken);
    expect(mine.items.slice(0, 2).map((n) => n.kind)).toEqual(['comment', 'like']);
    expect(
      errorOf(await callOp(app, 'moments.deleteComment', { commentId: r.id }, friend.accessToken)).code,
    ).toBe('FORBIDDEN');
    await mustCall(app, 'moments.deleteComment', { commentId: c.id }, author.accessToken);
    const unliked = await mustCall(app, 'moments.unlike', { postId: id }, friend.accessToken);
    await mustCall(app, 'moments.unlike', { postId: id }, friend.accessToken);
    expect(unliked.likes).toEqual([]);
    expect(
      (await mustCall(app, 'moments.comments', { postId: id }, author.accessToken)).items.map((x) => x.id),
    ).toEqual([r.id]);
    const replyToGone = await callOp(
      app,
      'moments.comment',
      { postId: id, text: '?', replyToCommentId: c.id },
      friend.accessToken,
    );
    expect(errorOf(replyToGone).code).toBe('MOMENT_COMMENT_NOT_FOUND');
  });

  it('pages the feed newest first with cursors, and counts unseen posts', async () => {
    const since = Date.now() - 1;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await post(app, friend, 'friends', `第${i}条`));
    const first = await mustCall(app, 'moments.feed', { scope: 'friends', limit: 3 }, author.accessToken);
    expect(first.items.map((m) => m.id)).toEqual([ids[4], ids[3], ids[2]]);
    const next = await mustCall(
      app,
      'moments.feed',
      { scope: 'friends', limit: 3, before: first.nextCursor ?? '' },
      author.accessToken,
    );
    expect(next.items.slice(0, 2).map((m) => m.id)).toEqual([ids[1], ids[0]]);
    const unseen = await mustCall(app, 'moments.unseen', { since }, author.accessToken);
    expect(unseen.count).toBe(5);
    expect(unseen.latestAuthor?.id).toBe(friend.userId);
    expect((await mustCall(app, 'moments.unseen', { since }, stranger.accessToken)).count).toBe(0);
    expect(
      errorOf(await callOp(app, 'moments.feed', { scope: 'friends', before: 'bad' }, author.accessToken))
        .code,
    ).toBe('VALIDATION_FAILED');
  });

  it('pages through posts spread over weeks in order (the look-back window widens)', async () => {
    const [viewer, poster] = [await registerUser(app), await registerUser(app)];
    await befriend(app, viewer, poster);
    const now = Date.now();
    const seeded = Array.from({ length: 25 }, (_, i) => ({
      id: newId(now - i * 20 * HOUR_MS),
      authorId: poster.userId,
      text: `旧帖${i}`,
      media: [],
      location: null,
      mentions: [],
      visibility: i % 5 === 4 ? ('self' as const) : ('friends' as const),
      createdAt: now - i * 20 * HOUR_MS,
    }));
    await new MomentsRepo(app.platform.db, app.platform.keyring, app.platform.dialect).insertMany(seeded);
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await mustCall(
        app,
        'moments.feed',
        { scope: 'friends', limit: 7, ...(before ? { before } : {}) },
        viewer.accessToken,
      );
      seen.push(...page.items.map((m) => m.id));
      before = page.nextCursor ?? undefined;
    } while (before);
    expect(seen).toEqual(seeded.filter((p) => p.visibility === 'friends').map((p) => p.id));
  });

  it('sets a cover image shown on the user page; refuses a file that is not mine', async () => {
    const cover = await image(author);
    expect(await mustCall(app, 'moments.setCover', { fileId: cover }, author.accessToken)).toEqual({
      coverFileId: cover,
    });
    const page = await mustCall(app, 'moments.userPosts', { userId: author.userId }, stranger.accessToken);
    expect(page.coverFileId).toBe(cover);
    expect((await callOp(app, 'files.link', { id: cover }, stranger.accessToken)).status).toBe(200);
    const foreign = await image(stranger);
    expect(errorOf(await callOp(app, 'moments.setCover', { fileId: foreign }, author.accessToken)).code).toBe(
      'FILE_NOT_FOUND',
    );
  });

  it('syncs drafts to my other devices and clears them when sent', async () => {
    const other = await connectDevice(port, await loginUser(app, author.phone, author.password));
    const id = await post(app, friend, 'friends', '草稿');
    const saved = await mustCall(
      app,
      'moments.saveDraft',
      { kind: 'comment', key: id, content: { text: '写了一半' } },
      author.accessToken,
    );
    expect(await other.nextEvent('moments.draft.v1')).toEqual({ kind: 'comment', key: id, draft: saved });
    await mustCall(
      app,
      'moments.saveDraft',
      { kind: 'post', key: 'post', content: { text: '新帖', visibility: 'self' } },
      author.accessToken,
    );
    await other.nextEvent('moments.draft.v1');
    const listed = await other.request('moments.drafts', {});
    expect(listed).toMatchObject({
      ok: true,
      body: { items: [{ kind: 'post' }, { kind: 'comment', key: id }] },
    });
    await mustCall(app, 'moments.comment', { postId: id, text: '写完了' }, author.accessToken);
    expect(await other.nextEvent('moments.draft.v1')).toEqual({ kind: 'comment', key: id, draft: null });
    await mustCall(app, 'moments.create', { text: '新帖', visibility: 'self' }, author.accessToken);
    expect(await other.nextEvent('moments.draft.v1')).toEqual({ kind: 'post', key: 'post', draft: null });
    expect((await mustCall(app, 'moments.drafts', {}, author.accessToken)).items).toEqual([]);
    other.ws.close();
  });

  it('lets operators see the pictures of a post once it is reported, not before', async () => {
    const operator = await staffUser(app, 'operator');
    const fileId = await image(author);
    const { id } = await mustCall(
      app,
      'moments.create',
      { text: '仅好友可见的照片', fileIds: [fileId], visibility: 'friends' },
      author.accessToken,
    );
    const link = () => callOp(app, 'files.link', { id: fileId }, operator.accessToken);
    expect(errorOf(await link()).code).toBe('FILE_NOT_FOUND');
    await mustCall(app, 'moments.report', { postId: id, reason: '不当图片' }, friend.accessToken);
    expect((await link()).status).toBe(200);
    expect(errorOf(await callOp(app, 'files.link', { id: fileId }, stranger.accessToken)).code).toBe(
      'FILE_NOT_FOUND',
    );
  });

  it('moderation: one report per user; operators remove or dismiss; users may not moderate', async () => {
    const operator = await staffUser(app, 'operator');
    const id = await post(app, author, 'everyone', '违规内容');
    const other = await post(app, author, 'everyone', '正常内容');
    await mustCall(app, 'moments.report', { postId: id, reason: '广告' }, stranger.accessToken);
    await mustCall(app, 'moments.report', { postId: id, reason: '骚扰' }, friend.accessToken);
    await mustCall(app, 'moments.report', { postId: other, reason: '误报' }, stranger.accessToken);
    expect(
      errorOf(await callOp(app, 'moments.report', { postId: id, reason: '再报' }, stranger.accessToken)).code,
    ).toBe('MOMENT_ALREADY_REPORTED');
    expect(errorOf(await callOp(app, 'moments.reports', {}, stranger.accessToken)).code).toBe('FORBIDDEN');
    const open = await mustCall(app, 'moments.reports', { status: 'open' }, operator.accessToken);
    const [onOther, second, first] = open.items;
    expect(first).toMatchObject({
      postId: id,
      reason: '广告',
      reporterId: stranger.userId,
      post: { text: '违规内容', gone: false },
    });
    expect(second?.postId).toBe(id);
    const denied = await callOp(
      app,
      'moments.resolveReport',
      { reportId: first?.id, action: 'remove' },
      author.accessToken,
    );
    expect(errorOf(denied).code).toBe('FORBIDDEN');
    expect((await mustCall(app, 'moments.get', { id }, friend.accessToken)).id).toBe(id);
    const removed = await mustCall(
      app,
      'moments.resolveReport',
      { reportId: first?.id, action: 'remove' },
      operator.accessToken,
    );
    expect(removed).toMatchObject({ status: 'removed', resolvedBy: operator.userId, post: { gone: true } });
    for (const u of [friend, stranger, author])
      expect(errorOf(await callOp(app, 'moments.get', { id }, u.accessToken)).code).toBe('MOMENT_NOT_FOUND');
    const notes = await mustCall(app, 'moments.notifications', {}, author.accessToken);
    expect(notes.items[0]).toMatchObject({ kind: 'removed', postId: id, actorId: null });
    const again = await callOp(
      app,
      'moments.resolveReport',
      { reportId: second?.id, action: 'dismiss' },
      operator.accessToken,
    );
    expect(errorOf(again).code).toBe('MOMENT_REPORT_RESOLVED');
    const dismissed = await mustCall(
      app,
      'moments.resolveReport',
      { reportId: onOther?.id, action: 'dismiss' },
      operator.accessToken,
    );
    expect(dismissed.status).toBe('dismissed');
    const audit = await app.services.audit.list({
      action: 'admin.moments.resolveReport',
      actorId: operator.userId,
    });
    expect(audit.records.map((r) => r.details)).toHaveLength(2);
    expect((await mustCall(app, 'moments.get', { id: other }, friend.accessToken)).id).toBe(other);
  });
});
