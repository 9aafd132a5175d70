import type { Message } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice } from '../../testing/devices.ts';
import {
  callOp,
  errorOf,
  mustCall,
  registerUser,
  staffUser,
  type TestUser,
} from '../../testing/factories.ts';
import { clientId, fileOf, photoWithGps, upload } from './filerefs.testing.ts';
import { DAY_MS, fileExpiresAt, retentionDays } from './retention.ts';

describe('retention days', () => {
  const policy = { defaultDays: 30, directDays: null, groupDays: 7, selfDays: 0 };
  it('uses the class’s days, the default for a class without its own, and 0 for forever', () => {
    expect(retentionDays(policy, 'group')).toBe(7);
    expect(retentionDays(policy, 'direct')).toBe(30);
    expect(retentionDays(policy, 'none')).toBe(30);
    expect(fileExpiresAt(1000, 'group', policy)).toBe(1000 + 7 * DAY_MS);
    expect(fileExpiresAt(1000, 'self', policy)).toBeNull();
  });
});

describe.each(testDialects())('the retention job (%s)', (dialect) => {
  let app: App;
  let base: string;
  let port: number;
  let alice: TestUser;
  let bob: TestUser;
  let group: string;
  let direct: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    base = `http://127.0.0.1:${port}`;
    [alice, bob] = (await Promise.all([registerUser(app), registerUser(app)])) as [TestUser, TestUser];
    group = (
      await mustCall(
        app,
        'groups.create',
        { title: '临时文件群', memberIds: [bob.userId] },
        alice.accessToken,
      )
    ).id;
    direct = (await mustCall(app, 'conversations.openDirect', { userId: bob.userId }, alice.accessToken)).id;
    const operator = await staffUser(app, 'operator');
    await mustCall(app, 'files.updateSettings', { retention: { groupDays: 1 } }, operator.accessToken);
  }, 60_000);
  afterAll(() => app.close());

  const send = async (conversationId: string, content: unknown) =>
    mustCall(app, 'messages.send', { conversationId, clientId: clientId(), content }, alice.accessToken);

  it('expires group files after a day, marks their messages on every device, and downloads get FILE_EXPIRED', async () => {
    const inGroup = await upload(app, base, alice, await photoWithGps(), {
      filename: 'g.jpg',
      filetype: 'image/jpeg',
      conversationId: group,
    });
    const inDirect = await upload(app, base, alice, Buffer.from('direct chat notes '.repeat(30)), {
      filename: 'd.txt',
      filetype: 'text/plain',
      conversationId: direct,
    });
    // Counted from when the upload completed.
    expect(inGroup.expiresAt).toBeGreaterThanOrEqual(inGroup.createdAt + DAY_MS);
    expect(inGroup.expiresAt).toBeLessThan(inGroup.createdAt + DAY_MS + 60_000);
    const groupMessage = await send(group, {
      kind: 'file',
      fileId: inGroup.id,
      name: 'g.jpg',
      mime: 'image/jpeg',
      size: 1,
    });
    const directMessage = await send(direct, fileOf(inDirect, 'd.txt'));
    const since = Date.now();
    const bobDevice = await connectDevice(port, bob);

    // Not yet due.
    expect(await app.services.fileRefs.runRetention(Date.now() + DAY_MS / 2)).toEqual({
      files: 0,
      messages: 0,
    });
    const run = await app.services.fileRefs.runRetention(Date.now() + 2 * DAY_MS);
    expect(run).toEqual({ files: 1, messages: 1 });

    const event = (await bobDevice.nextEvent('message.updated.v1')) as Message;
    expect(event).toMatchObject({
      conversationId: group,
      seq: groupMessage.seq,
      fileExpired: true,
      version: 2,
    });
    bobDevice.ws.close();

    const history = await mustCall(app, 'messages.history', { conversationId: group }, bob.accessToken);
    expect(history.messages.find((m) => m.seq === groupMessage.seq)?.fileExpired).toBe(true);
    const changes = await mustCall(
      app,
      'messages.changes',
      { conversationId: group, since: since - 1 },
      bob.accessToken,
    );
    expect(changes.messages.map((m) => [m.seq, m.fileExpired])).toEqual([[groupMessage.seq, true]]);
    const directHistory = await mustCall(
      app,
      'messages.history',
      { conversationId: direct },
      bob.accessToken,
    );
    expect(directHistory.messages.find((m) => m.seq === directMessage.seq)?.fileExpired).toBeUndefined();

    expect((await mustCall(app, 'files.get', { id: inGroup.id }, alice.accessToken)).status).toBe('expired');
    const link = await callOp(app, 'files.link', { id: inGroup.id, conversationId: group }, bob.accessToken);
    expect(errorOf(link)).toEqual({ status: 410, code: 'FILE_EXPIRED' });
    expect(
      (await callOp(app, 'files.link', { id: inDirect.id, conversationId: direct }, bob.accessToken)).status,
    ).toBe(200);

    const forward = await callOp(
      app,
      'messages.forward',
      {
        conversationId: direct,
        clientId: clientId(),
        from: { conversationId: group, seq: groupMessage.seq },
      },
      bob.accessToken,
    );
    expect(errorOf(forward)).toEqual({ status: 410, code: 'FILE_EXPIRED' });
    const resend = await callOp(
      app,
      'messages.send',
      { conversationId: group, clientId: clientId(), content: fileOf(inGroup, 'g.jpg') },
      alice.accessToken,
    );
    expect(errorOf(resend).code).toBe('FILE_EXPIRED');

    const [evidence] = await app.services.audit.listAscending(
      { category: 'file', action: 'file.expire', subject: inGroup.sha256 ?? '', limit: 10 },
      0,
    );
    expect(evidence).toMatchObject({ actorId: null, details: { fileId: inGroup.id } });
    // A second run finds nothing more.
    expect(await app.services.fileRefs.runRetention(Date.now() + 2 * DAY_MS)).toEqual({
      files: 0,
      messages: 0,
    });
  });

  it('marks the messages of a file its owner deleted, on every device', async () => {
    const file = await upload(app, base, alice, Buffer.from('minutes of the meeting '.repeat(20)), {
      filename: 'minutes.txt',
      filetype: 'text/plain',
      conversationId: direct,
    });
    const message = await send(direct, fileOf(file, 'minutes.txt'));
    const bobDevice = await connectDevice(port, bob);
    await mustCall(app, 'files.delete', { id: file.id }, alice.accessToken);
    const event = (await bobDevice.nextEvent('message.updated.v1')) as Message;
    expect(event).toMatchObject({ conversationId: direct, seq: message.seq, fileExpired: true });
    bobDevice.ws.close();
    const history = await mustCall(app, 'messages.history', { conversationId: direct }, bob.accessToken);
    expect(history.messages.find((m) => m.seq === message.seq)?.fileExpired).toBe(true);
    const link = await callOp(app, 'files.link', { id: file.id, conversationId: direct }, bob.accessToken);
    expect(errorOf(link)).toEqual({ status: 410, code: 'FILE_EXPIRED' });
  });
});
