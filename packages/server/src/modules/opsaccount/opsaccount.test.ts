import type { Broadcast, Contact, FeedbackItem, Message } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, settle, type TestDevice } from '../../testing/devices.ts';
import {
  callOp,
  errorOf,
  loginUser,
  mustCall,
  registerUser,
  type TestUser,
} from '../../testing/factories.ts';
import { OPS_PHONE } from './index.ts';
import { adminUser } from './opsaccount.testing.ts';

describe.each(testDialects())('the operations account (%s)', (dialect) => {
  let app: App;
  let port: number;
  let admin: TestUser;
  let adminDesk: TestDevice;
  let alice: TestUser;
  let aliceDesk: TestDevice;
  let opsId: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { opsAccount: { name: '测试通讯运营' } } });
    port = await app.listen();
    admin = await adminUser(app);
    adminDesk = await connectDevice(port, await loginUser(app, admin.phone, admin.password));
    alice = await registerUser(app, { nickname: 'Alice' });
    aliceDesk = await connectDevice(port, await loginUser(app, alice.phone, alice.password));
    opsId = (await mustCall(app, 'opsAccount.info', {}, alice.accessToken)).userId;
  });
  afterAll(async () => {
    adminDesk.ws.close();
    aliceDesk.ws.close();
    await app.close();
  });

  const contacts = async (user: TestUser): Promise<Contact[]> =>
    (await mustCall(app, 'contacts.list', {}, user.accessToken)).contacts;

  it("is in every user's contacts, first and marked official, also for users registered later", async () => {
    const [first] = await contacts(alice);
    expect(first).toMatchObject({
      userId: opsId,
      remark: '',
      profile: { id: opsId, nickname: '测试通讯运营', official: true },
    });
    const late = await registerUser(app);
    expect((await contacts(late)).map((c) => c.userId)).toEqual([opsId]);
    const profiles = await mustCall(
      app,
      'users.profiles',
      { ids: `${opsId},${alice.userId}` },
      late.accessToken,
    );
    const byId = new Map(profiles.users.map((p) => [p.id, p]));
    expect(byId.get(opsId)?.official).toBe(true);
    expect(byId.get(alice.userId)?.official).toBeUndefined();
  });

  it('cannot log in, by password or SMS, and is not found by phone', async () => {
    const byPassword = await callOp(app, 'auth.loginPassword', {
      phone: OPS_PHONE,
      password: '!ops-account-has-no-password',
      device: { deviceId: 'dev-ops-1', name: 'x', platform: 'web' },
    });
    expect(byPassword.status).toBeGreaterThanOrEqual(400);
    expect(['ACCOUNT_DISABLED', 'INVALID_CREDENTIALS']).toContain(byPassword.body.error?.code);
    const sms = await callOp(app, 'auth.loginSms', {
      phone: OPS_PHONE,
      code: '000000',
      device: { deviceId: 'dev-ops-2', name: 'x', platform: 'web' },
    });
    expect(sms.status).toBeGreaterThanOrEqual(400);
    expect(
      errorOf(
        await callOp(app, 'users.lookupByPhone', { phone: OPS_PHONE }, (await adminUser(app)).accessToken),
      ).code,
    ).toBe('NOT_FOUND');
  });

  it('lets no one but an administrator send as it, list its sends or read the inbox', async () => {
    const denied: Array<[Parameters<typeof callOp>[1], Record<string, unknown>]> = [
      ['opsAccount.send', { target: { all: true }, text: '冒充' }],
      ['opsAccount.send', { target: { userId: alice.userId }, text: '冒充' }],
      ['opsAccount.broadcasts', {}],
      ['opsAccount.feedback', {}],
      ['opsAccount.reply', { userId: alice.userId, text: '冒充' }],
    ];
    for (const [op, body] of denied) {
      expect(errorOf(await callOp(app, op, body, alice.accessToken)), op).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    expect((await mustCall(app, 'opsAccount.broadcasts', {}, admin.accessToken)).broadcasts).toEqual([]);
  });

  it("sends to one user: the message arrives live in the user's official chat", async () => {
    const sent = await mustCall(
      app,
      'opsAccount.send',
      { target: { userId: alice.userId }, text: '欢迎使用致信' },
      admin.accessToken,
    );
    expect(sent).toMatchObject({ status: 'done', total: 1, delivered: 1, target: { userId: alice.userId } });
    const event = (await aliceDesk.nextEvent('message.created.v1')) as Message;
    expect(event).toMatchObject({ senderId: opsId, content: { kind: 'text', text: '欢迎使用致信' } });
    const info = await mustCall(app, 'opsAccount.info', {}, alice.accessToken);
    expect(info.conversationId).toBe(event.conversationId);
    const chat = await mustCall(
      app,
      'conversations.get',
      { conversationId: info.conversationId },
      alice.accessToken,
    );
    expect(chat).toMatchObject({ kind: 'direct', peerId: opsId, unreadCount: 1 });
    expect(chat.me.hidden).toBe(false);
    const listed = await mustCall(app, 'opsAccount.broadcasts', {}, admin.accessToken);
    expect(listed.broadcasts.map((b: Broadcast) => b.id)).toEqual([sent.id]);
  });

  it('refuses bad sends with typed errors and stores nothing', async () => {
    const before = await mustCall(app, 'opsAccount.broadcasts', {}, admin.accessToken);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ target: { userId: alice.userId }, text: '汉'.repeat(700) }, 'MESSAGE_TOO_LONG'],
      [{ target: { userId: 'NOBODY0000000000000000000' }, text: 'hi' }, 'NOT_FOUND'],
      [{ target: { userId: opsId }, text: 'hi' }, 'NOT_FOUND'],
      [{ target: { departmentId: 'NODEPARTMENT0000000000000' }, text: 'hi' }, 'NOT_FOUND'],
      [{ target: { all: false }, text: 'hi' }, 'VALIDATION_FAILED'],
      [{ target: { all: true }, text: '' }, 'VALIDATION_FAILED'],
      [{ target: { all: true }, text: '   ' }, 'VALIDATION_FAILED'],
      [{ target: {}, text: 'hi' }, 'VALIDATION_FAILED'],
      [{ target: { all: true, userId: alice.userId }, text: 'hi' }, 'VALIDATION_FAILED'],
    ];
    const mark = aliceDesk.ws.frames.length;
    for (const [body, code] of cases) {
      expect(
        errorOf(await callOp(app, 'opsAccount.send', body, admin.accessToken)).code,
        JSON.stringify(body),
      ).toBe(code);
    }
    expect(await mustCall(app, 'opsAccount.broadcasts', {}, admin.accessToken)).toEqual(before);
    await settle();
    expect(aliceDesk.ws.frames.slice(mark).filter((f) => f.type === 'event')).toEqual([]);
  });

  it('sends to a department and everyone below it, in the background', async () => {
    const hq = await app.services.directory.createDepartment(null, '总部');
    const rd = await app.services.directory.createDepartment(hq.id, '研发部');
    const bob = await registerUser(app, { nickname: 'Bob' });
    const carol = await registerUser(app, { nickname: 'Carol' });
    await app.services.directory.setUserDepartments(bob.userId, [
      { departmentId: hq.id, title: '', primary: true },
    ]);
    await app.services.directory.setUserDepartments(carol.userId, [
      { departmentId: rd.id, title: '', primary: true },
    ]);
    const started = await mustCall(
      app,
      'opsAccount.send',
      { target: { departmentId: hq.id }, text: '总部通知' },
      admin.accessToken,
    );
    expect(started).toMatchObject({ status: 'running', total: 2, target: { departmentId: hq.id } });
    let done: Broadcast | undefined;
    for (let i = 0; i < 200 && done?.status !== 'done'; i++) {
      await settle(20);
      done = (await mustCall(app, 'opsAccount.broadcasts', {}, admin.accessToken)).broadcasts.find(
        (b) => b.id === started.id,
      );
    }
    expect(done).toMatchObject({ status: 'done', delivered: 2, total: 2 });
    for (const u of [bob, carol]) {
      const info = await mustCall(app, 'opsAccount.info', {}, u.accessToken);
      const chat = await mustCall(
        app,
        'conversations.get',
        { conversationId: info.conversationId },
        u.accessToken,
      );
      expect(chat.lastMessage).toMatchObject({ senderId: opsId, content: { text: '总部通知' } });
    }
    const aliceInfo = await mustCall(app, 'opsAccount.info', {}, alice.accessToken);
    const aliceChat = await mustCall(
      app,
      'conversations.get',
      { conversationId: aliceInfo.conversationId },
      alice.accessToken,
    );
    expect(aliceChat.lastMessage?.content).not.toMatchObject({ text: '总部通知' });
  });

  it('files what users write to it in the inbox, and the reply reaches the user', async () => {
    const info = await mustCall(app, 'opsAccount.info', {}, alice.accessToken);
    await mustCall(
      app,
      'messages.send',
      {
        conversationId: info.conversationId,
        clientId: 'feedback-0001',
        content: { kind: 'text', text: '无法上传文件' },
      },
      alice.accessToken,
    );
    const filed = (await adminDesk.nextEvent('ops.feedback.v1')) as FeedbackItem;
    expect(filed).toMatchObject({
      userId: alice.userId,
      status: 'open',
      profile: { nickname: 'Alice' },
      lastMessage: { senderId: alice.userId, content: { text: '无法上传文件' } },
    });
    const inbox = await mustCall(app, 'opsAccount.feedback', { status: 'open' }, admin.accessToken);
    expect(inbox.items.map((i) => i.userId)).toEqual([alice.userId]);

    const replied = await mustCall(
      app,
      'opsAccount.reply',
      { userId: alice.userId, text: '请更新到最新版本' },
      admin.accessToken,
    );
    expect(replied).toMatchObject({ userId: alice.userId, status: 'answered' });
    // Alice's own message reaches this device of hers first.
    expect(await aliceDesk.nextEvent('message.created.v1')).toMatchObject({ senderId: alice.userId });
    const answer = (await aliceDesk.nextEvent('message.created.v1')) as Message;
    expect(answer).toMatchObject({
      conversationId: info.conversationId,
      senderId: opsId,
      content: { text: '请更新到最新版本' },
    });
    expect((await mustCall(app, 'opsAccount.feedback', { status: 'open' }, admin.accessToken)).items).toEqual(
      [],
    );
    const thread = await mustCall(app, 'opsAccount.thread', { userId: alice.userId }, admin.accessToken);
    expect(thread.messages.slice(0, 2).map((m) => m.content)).toEqual([
      { kind: 'text', text: '请更新到最新版本' },
      { kind: 'text', text: '无法上传文件' },
    ]);
    expect(
      errorOf(await callOp(app, 'opsAccount.thread', { userId: alice.userId }, alice.accessToken)),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(
      (await mustCall(app, 'opsAccount.feedback', { status: 'answered' }, admin.accessToken)).items.map(
        (i) => i.userId,
      ),
    ).toEqual([alice.userId]);
  });

  it('refuses a reply to someone who never wrote, sending nothing', async () => {
    const quiet = await registerUser(app);
    const quietDesk = await connectDevice(port, await loginUser(app, quiet.phone, quiet.password));
    expect(
      errorOf(
        await callOp(app, 'opsAccount.reply', { userId: quiet.userId, text: '你好' }, admin.accessToken),
      ),
    ).toEqual({ status: 404, code: 'NOT_FOUND' });
    await settle();
    expect(quietDesk.ws.frames.filter((f) => f.type === 'event' && f.event === 'message.created.v1')).toEqual(
      [],
    );
    quietDesk.ws.close();
  });

  it('pages the inbox, latest first, and works over the WebSocket', async () => {
    const writers = await Promise.all([registerUser(app), registerUser(app), registerUser(app)]);
    for (const [i, w] of writers.entries()) {
      const info = await mustCall(app, 'opsAccount.info', {}, w.accessToken);
      await mustCall(
        app,
        'messages.send',
        {
          conversationId: info.conversationId,
          clientId: `feedback-page-${i}`,
          content: { kind: 'text', text: `反馈${i}` },
        },
        w.accessToken,
      );
      await adminDesk.nextEvent('ops.feedback.v1');
      await settle(5);
    }
    const first = await mustCall(app, 'opsAccount.feedback', { status: 'open', limit: 2 }, admin.accessToken);
    expect(first.items.map((i) => i.userId)).toEqual([writers[2]?.userId, writers[1]?.userId]);
    expect(first.nextCursor).not.toBeNull();
    const second = await adminDesk.request('opsAccount.feedback', {
      status: 'open',
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second).toMatchObject({
      ok: true,
      body: { items: [{ userId: writers[0]?.userId }], nextCursor: null },
    });
    expect(
      errorOf(await callOp(app, 'opsAccount.feedback', { cursor: 'bad cursor' }, admin.accessToken)).code,
    ).toBe('VALIDATION_FAILED');
  });
});
