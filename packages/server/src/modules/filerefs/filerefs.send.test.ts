import { MAX_VOICE_MS } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import {
  clientId,
  fileOf,
  imageOf,
  photoWithGps,
  unfinishedUpload,
  upload,
  videoMp4,
  voiceOgg,
} from './filerefs.testing.ts';

describe.each(testDialects())('files in messages (%s)', (dialect) => {
  let app: App;
  let base: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let dave: TestUser;
  let group: string;
  let bobCarol: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    base = `http://127.0.0.1:${await app.listen()}`;
    [alice, bob, carol, dave] = (await Promise.all([1, 2, 3, 4].map(() => registerUser(app)))) as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    group = (
      await mustCall(app, 'groups.create', { title: '项目组', memberIds: [bob.userId] }, alice.accessToken)
    ).id;
    bobCarol = (await mustCall(app, 'conversations.openDirect', { userId: carol.userId }, bob.accessToken))
      .id;
  }, 60_000);
  afterAll(() => app.close());

  const send = (user: TestUser, conversationId: string, content: unknown) =>
    callOp(app, 'messages.send', { conversationId, clientId: clientId(), content }, user.accessToken);
  const count = async (conversationId: string, user: TestUser) =>
    (await mustCall(app, 'messages.history', { conversationId }, user.accessToken)).messages.length;
  const link = (user: TestUser, id: string, conversationId?: string) =>
    callOp(app, 'files.link', { id, ...(conversationId ? { conversationId } : {}) }, user.accessToken);
  const evidence = (action: string, subject: string) =>
    app.services.audit.listAscending({ category: 'file', action, subject, limit: 100 }, 0);

  it('sends an image with the measured type, size and pixels, and members of the conversation may read it', async () => {
    const photo = await upload(app, base, alice, await photoWithGps(), {
      filename: 'p.jpg',
      filetype: 'image/jpeg',
    });
    expect(photo).toMatchObject({ status: 'ready', mime: 'image/jpeg', width: 400, height: 300 });
    expect(errorOf(await link(bob, photo.id, group)).code).toBe('FILE_NOT_FOUND');
    const res = await send(alice, group, imageOf(photo));
    expect(res.status).toBe(200);
    expect(res.body.content).toEqual({
      kind: 'image',
      fileId: photo.id,
      mime: 'image/jpeg',
      size: photo.size,
      width: 400,
      height: 300,
    });
    const stored = (await mustCall(app, 'messages.history', { conversationId: group }, bob.accessToken))
      .messages[0];
    expect(stored?.content).toEqual(res.body.content);
    expect((await link(bob, photo.id, group)).status).toBe(200);
    expect((await link(bob, photo.id)).status).toBe(200);
    expect(errorOf(await link(carol, photo.id, group)).code).toBe('FILE_NOT_FOUND');
    expect(errorOf(await link(carol, photo.id)).code).toBe('FILE_NOT_FOUND');
    const [record] = await evidence('file.send', photo.sha256 ?? '');
    expect(record).toMatchObject({
      actorId: alice.userId,
      conversationId: group,
      targetIds: [bob.userId],
      deviceId: alice.sessionId,
      details: { fileId: photo.id, messageSeq: res.body.seq, kind: 'image' },
    });
    expect(record?.ip).toBeTruthy();
    const reply = await mustCall(
      app,
      'messages.send',
      {
        conversationId: group,
        clientId: clientId(),
        content: { kind: 'text', text: '收到' },
        replyToSeq: res.body.seq,
      },
      bob.accessToken,
    );
    expect(reply.replyTo?.preview).toBe('[图片]');
  });

  it('refuses unknown, foreign, unfinished and deleted files and the wrong kind, and stores nothing', async () => {
    const before = await count(group, alice);
    const doc = await upload(app, base, alice, Buffer.from('%PDF-1.4\n' + 'x'.repeat(2000)), {
      filename: 'a.pdf',
      filetype: 'application/pdf',
    });
    expect(errorOf(await send(bob, group, fileOf(doc))).code).toBe('FILE_NOT_FOUND');
    expect(errorOf(await send(alice, group, fileOf({ ...doc, id: '01HZZZZZZZZZZZZZZZZZZZZZZZ' }))).code).toBe(
      'FILE_NOT_FOUND',
    );
    const half = await unfinishedUpload(base, alice, 10_000);
    expect(errorOf(await send(alice, group, fileOf({ ...doc, id: half }))).code).toBe('FILE_NOT_READY');
    expect(errorOf(await send(alice, group, imageOf(doc)))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const gone = await upload(app, base, alice, Buffer.from('plain text notes '.repeat(50)), {
      filename: 'notes.txt',
      filetype: 'text/plain',
    });
    await mustCall(app, 'files.delete', { id: gone.id }, alice.accessToken);
    expect(errorOf(await send(alice, group, fileOf(gone, 'notes.txt'))).code).toBe('FILE_EXPIRED');
    expect(await count(group, alice)).toBe(before);
    const sent = await send(alice, group, fileOf(doc, '合同.pdf'));
    expect(sent.body.content).toMatchObject({ name: '合同.pdf', size: doc.size, mime: doc.mime });
  });

  it('measures voice: the stored duration is the file’s, and a recording over 60 s is refused', async () => {
    const short = await upload(app, base, alice, await voiceOgg(2), {
      filename: 'v.ogg',
      filetype: 'audio/ogg',
    });
    expect(short.durationMs).toBeGreaterThan(1900);
    const ok = await send(alice, group, {
      kind: 'voice',
      fileId: short.id,
      mime: 'audio/ogg',
      size: short.size,
      durationMs: 9000,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.content).toMatchObject({ kind: 'voice', durationMs: short.durationMs, mime: 'audio/ogg' });

    const long = await upload(app, base, alice, await voiceOgg(62), {
      filename: 'l.ogg',
      filetype: 'audio/ogg',
    });
    expect(long.durationMs).toBeGreaterThan(MAX_VOICE_MS);
    const before = await count(group, alice);
    const refused = await send(alice, group, {
      kind: 'voice',
      fileId: long.id,
      mime: 'audio/ogg',
      size: long.size,
      durationMs: MAX_VOICE_MS,
    });
    expect(errorOf(refused)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await count(group, alice)).toBe(before);
    // The schema bounds what a client may claim, too.
    const claimed = await send(alice, group, {
      kind: 'voice',
      fileId: short.id,
      mime: 'audio/ogg',
      size: 1,
      durationMs: 61_000,
    });
    expect(errorOf(claimed).code).toBe('VALIDATION_FAILED');
  }, 60_000);

  it('sends a video with its measured duration and size', async () => {
    const clip = await upload(app, base, alice, await videoMp4(), {
      filename: 'c.mp4',
      filetype: 'video/mp4',
    });
    expect(clip).toMatchObject({ mime: 'video/mp4', width: 320, height: 240, hasThumbnail: true });
    const res = await send(alice, group, {
      kind: 'video',
      fileId: clip.id,
      mime: 'video/mp4',
      size: 1,
      durationMs: 1,
      width: 1,
      height: 1,
    });
    expect(res.body.content).toMatchObject({
      width: 320,
      height: 240,
      durationMs: clip.durationMs,
      size: clip.size,
    });
  });

  it('forwards without copying: the same file id, readable in the target conversation, with evidence', async () => {
    const photo = await upload(app, base, alice, await photoWithGps(), {
      filename: 'f.jpg',
      filetype: 'image/jpeg',
    });
    const original = await send(alice, group, imageOf(photo));
    const filesBefore = await app.platform.db.selectFrom('files').select('id').execute();
    const forwarded = await mustCall(
      app,
      'messages.forward',
      {
        conversationId: bobCarol,
        clientId: clientId(),
        from: { conversationId: group, seq: original.body.seq },
      },
      bob.accessToken,
    );
    expect(forwarded.content).toEqual(original.body.content);
    expect(forwarded.forwardedFrom).toEqual({
      conversationId: group,
      seq: original.body.seq,
      senderId: alice.userId,
    });
    expect((await app.platform.db.selectFrom('files').select('id').execute()).length).toBe(
      filesBefore.length,
    );
    expect((await link(carol, photo.id, bobCarol)).status).toBe(200);
    expect(errorOf(await link(dave, photo.id, bobCarol)).code).toBe('FILE_NOT_FOUND');
    expect(errorOf(await link(dave, photo.id)).code).toBe('FILE_NOT_FOUND');
    const [record] = await evidence('file.forward', photo.sha256 ?? '');
    expect(record).toMatchObject({
      actorId: bob.userId,
      conversationId: bobCarol,
      targetIds: [carol.userId],
      details: {
        fileId: photo.id,
        messageSeq: forwarded.seq,
        fromConversationId: group,
        fromSeq: original.body.seq,
      },
    });
    // Not a member of the source conversation: nothing to forward.
    const refused = await callOp(
      app,
      'messages.forward',
      {
        conversationId: bobCarol,
        clientId: clientId(),
        from: { conversationId: group, seq: original.body.seq },
      },
      carol.accessToken,
    );
    expect(errorOf(refused).code).toBe('NOT_MEMBER');
  });

  it('a recalled message no longer shares its file', async () => {
    const doc = await upload(app, base, bob, Buffer.from('minutes of the meeting '.repeat(40)), {
      filename: 'm.txt',
      filetype: 'text/plain',
    });
    const sent = await send(bob, bobCarol, fileOf(doc, '会议纪要.txt'));
    expect((await link(carol, doc.id, bobCarol)).status).toBe(200);
    await mustCall(app, 'messages.recall', { conversationId: bobCarol, seq: sent.body.seq }, bob.accessToken);
    expect(errorOf(await link(carol, doc.id, bobCarol)).code).toBe('FILE_NOT_FOUND');
    expect((await link(bob, doc.id)).status).toBe(200);
  });
});
