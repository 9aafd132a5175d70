import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  mustCall,
  randomPhone,
  registerUser,
  staffUser,
  testDevice,
  type TestUser,
} from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

interface Received {
  authorization: string | undefined;
  body: string;
}

/** A carrier gateway stand-in on a random local port (the real HTTP protocol). */
async function carrier(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body });
      res.writeHead(200).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, received, server };
}

describe.each(testDialects())('runtime system settings (%s)', (dialect) => {
  let app: App;
  let admin: TestUser;
  let operator: TestUser;
  let user: TestUser;
  let gateway: Awaited<ReturnType<typeof carrier>>;

  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { messages: { recallWindowSeconds: 120 } } });
    admin = await adminUser(app);
    operator = await staffUser(app, 'operator');
    user = await registerUser(app);
    gateway = await carrier();
  });
  afterAll(async () => {
    gateway.server.closeAllConnections();
    await new Promise<void>((r) => gateway.server.close(() => r()));
    await app.close();
  });

  const settings = () => mustCall(app, 'system.settings', {}, operator.accessToken);
  const update = (patch: object) => callOp(app, 'system.updateSettings', patch as never, admin.accessToken);

  it('starts from the config and lets operators read but not change', async () => {
    expect(await settings()).toMatchObject({
      watermarkTemplate: '{nickname} {phoneTail}\n{date}',
      recallWindowSeconds: 120,
      registrationOpen: true,
      sms: { provider: 'dev', httpAuthorizationSet: false },
      updatedAt: null,
    });
    expect(
      errorOf(await callOp(app, 'system.updateSettings', { registrationOpen: false }, operator.accessToken)),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(errorOf(await callOp(app, 'system.settings', {}, user.accessToken))).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(errorOf(await callOp(app, 'system.settings', {}))).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(
      errorOf(await callOp(app, 'system.testSms', { phone: randomPhone() }, operator.accessToken)),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
  });

  it('refuses malformed patches, changing nothing', async () => {
    const before = await settings();
    for (const body of [
      {},
      { watermarkTemplate: '' },
      { recallWindowSeconds: -1 },
      { registrationOpen: 'no' },
      { sms: { provider: 'carrier-pigeon' } },
      { sms: { httpUrl: 'ftp://example' } },
      { colour: 'red' },
    ]) {
      expect(errorOf(await update(body))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(await settings()).toEqual(before);
  });

  it('applies the watermark template and recall window to clients, audited', async () => {
    const res = await update({
      watermarkTemplate: '{nickname}·{account}\n内部资料 {date}',
      recallWindowSeconds: 0,
    });
    expect(res.status).toBe(200);
    expect(await mustCall(app, 'system.clientPolicy', {}, user.accessToken)).toEqual({
      watermarkTemplate: '{nickname}·{account}\n内部资料 {date}',
      recallWindowSeconds: 0,
    });
    const peer = await registerUser(app);
    await befriend(app, user, peer);
    const direct = await mustCall(app, 'conversations.openDirect', { userId: peer.userId }, user.accessToken);
    const sent = await mustCall(
      app,
      'messages.send',
      { conversationId: direct.id, clientId: `c-${Date.now()}`, content: { kind: 'text', text: '撤回我' } },
      user.accessToken,
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(
      errorOf(
        await callOp(app, 'messages.recall', { conversationId: direct.id, seq: sent.seq }, user.accessToken),
      ),
    ).toEqual({ status: 403, code: 'RECALL_WINDOW_PASSED' });
    await update({ recallWindowSeconds: 600 });
    const recalled = await mustCall(
      app,
      'messages.recall',
      { conversationId: direct.id, seq: sent.seq },
      user.accessToken,
    );
    expect(recalled.recalledAt).not.toBeNull();
    const audit = await mustCall(app, 'audit.list', { category: 'admin' }, admin.accessToken);
    const changes = audit.records.filter((r) => r.action === 'admin.system.update');
    expect(changes.map((r) => r.details.changed)).toEqual(
      expect.arrayContaining([['watermarkTemplate', 'recallWindowSeconds'], ['recallWindowSeconds']]),
    );
    expect(changes.every((r) => r.actorId === admin.userId)).toBe(true);
  });

  it('closes and reopens registration at runtime', async () => {
    await update({ registrationOpen: false });
    expect((await mustCall(app, 'settings.client', {})).registrationOpen).toBe(false);
    const phone = randomPhone();
    expect(errorOf(await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' }))).toEqual({
      status: 403,
      code: 'REGISTRATION_CLOSED',
    });
    expect(
      errorOf(
        await callOp(app, 'auth.register', {
          phone,
          code: '123456',
          password: 'long enough password',
          nickname: '新人',
          device: testDevice(),
        }),
      ),
    ).toEqual({ status: 403, code: 'REGISTRATION_CLOSED' });
    await update({ registrationOpen: true });
    expect((await mustCall(app, 'settings.client', {})).registrationOpen).toBe(true);
    expect((await registerUser(app)).userId).toBeTruthy();
  });

  it('switches the SMS gateway at runtime; the secret is sealed at rest and never returned', async () => {
    const secret = 'Bearer carrier-secret-7f3a';
    const res = await update({
      sms: { provider: 'http', httpUrl: gateway.url, httpAuthorization: secret, httpTimeoutMs: 2000 },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('carrier-secret');
    expect((await settings()).sms).toEqual({
      provider: 'http',
      httpUrl: gateway.url,
      httpBodyTemplate: '{"phone":"{phone}","code":"{code}","purpose":"{purpose}"}',
      httpTimeoutMs: 2000,
      httpAuthorizationSet: true,
    });
    const row = await app.platform.db.selectFrom('runtime_settings').selectAll().executeTakeFirstOrThrow();
    expect(row.value).not.toContain('carrier-secret');
    const audit = await mustCall(app, 'audit.list', { category: 'admin' }, admin.accessToken);
    expect(JSON.stringify(audit.records)).not.toContain('carrier-secret');

    const phone = '+8613800138123';
    await mustCall(app, 'system.testSms', { phone }, admin.accessToken);
    expect(gateway.received.at(-1)).toEqual({
      authorization: secret,
      body: JSON.stringify({ phone, code: '000000', purpose: 'test' }),
    });
    // Sign-in codes go the same way now.
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'login' });
    expect(JSON.parse(gateway.received.at(-1)!.body)).toMatchObject({ phone: user.phone, purpose: 'login' });

    await update({ sms: { httpAuthorization: '' } });
    expect((await settings()).sms.httpAuthorizationSet).toBe(false);
    await update({ sms: { provider: 'dev' } });
    const count = gateway.received.length;
    await registerUser(app);
    expect(gateway.received.length).toBe(count);
  });
});
