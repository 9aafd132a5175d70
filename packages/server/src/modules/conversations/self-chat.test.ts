import type { Message } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { settle, userWithTwoDevices, type TestDevice } from '../../testing/devices.ts';
import { mustCall, type TestUser } from '../../testing/factories.ts';

/** The self chat ("file transfer assistant"): a direct conversation whose peer is oneself. */
describe.each(testDialects())('the self chat (%s)', (dialect) => {
  let app: App;
  let phone: TestUser;
  let desk: TestDevice;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    const port = await app.listen();
    ({ first: phone, second: desk } = await userWithTwoDevices(app, port));
  });
  afterAll(async () => {
    desk.ws.close();
    await app.close();
  });

  it('opens once per user, with me as the peer, from any of my devices', async () => {
    const opened = await mustCall(
      app,
      'conversations.openDirect',
      { userId: phone.userId },
      phone.accessToken,
    );
    expect(opened).toMatchObject({ kind: 'direct', peerId: phone.userId, memberCount: 1, title: '' });
    const fromDesk = await desk.request('conversations.openDirect', { userId: phone.userId });
    expect(fromDesk).toMatchObject({ ok: true, body: { id: opened.id, peerId: phone.userId } });
    const { conversations } = await mustCall(app, 'conversations.list', {}, phone.accessToken);
    expect(conversations.filter((c) => c.peerId === phone.userId).map((c) => c.id)).toEqual([opened.id]);
  });

  it('delivers what I send there to my other devices, once', async () => {
    const chat = await mustCall(app, 'conversations.openDirect', { userId: phone.userId }, phone.accessToken);
    const sent = await mustCall(
      app,
      'messages.send',
      {
        conversationId: chat.id,
        clientId: 'self-chat-0001',
        content: { kind: 'text', text: '备忘：周五交报告' },
      },
      phone.accessToken,
    );
    const received = (await desk.nextEvent('message.created.v1')) as Message;
    expect(received).toMatchObject({ id: sent.id, conversationId: chat.id, senderId: phone.userId });
    await settle();
    expect(desk.ws.events('message.created.v1')).toHaveLength(1);
    const fromDesk = await desk.request('messages.send', {
      conversationId: chat.id,
      clientId: 'self-chat-0002',
      content: { kind: 'text', text: '收到' },
    });
    expect(fromDesk).toMatchObject({ ok: true, body: { seq: sent.seq + 1 } });
  });
});
