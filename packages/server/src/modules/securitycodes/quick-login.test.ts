import type { QuickLoginAttempt } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { codeSignerFor } from '../../platform/crypto/signed-codes.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice } from '../../testing/devices.ts';
import {
  callOp,
  errorOf,
  mustCall,
  registerUser,
  testDevice,
  type TestUser,
} from '../../testing/factories.ts';

describe.each(testDialects())('quick login (%s)', (dialect) => {
  let app: App;
  let port: number;
  let alice: TestUser;
  let mallory: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    alice = await registerUser(app, { nickname: 'Alice' });
    mallory = await registerUser(app, { nickname: 'Mallory' });
  });
  afterAll(async () => {
    await app.close();
  });

  const start = (name = 'Windows 桌面端') =>
    mustCall(app, 'auth.quickLogin.start', { device: { ...testDevice(), name, platform: 'desktop' } });
  const status = (a: QuickLoginAttempt, waitMs?: number) =>
    callOp(app, 'auth.quickLogin.status', {
      attemptId: a.attemptId,
      pollToken: a.pollToken,
      ...(waitMs === undefined ? {} : { waitMs }),
    });
  const stateOf = async (a: QuickLoginAttempt) => {
    const res = await status(a);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('logs a desktop in: start, scan, confirm, and the desktop receives a new session once', async () => {
    const attempt = await start();
    expect(attempt.code).toMatch(/^ZX1\.l\./);
    expect(attempt.expiresAt - Date.now()).toBeLessThanOrEqual(120_000);
    expect(await stateOf(attempt)).toMatchObject({ state: 'pending' });
    expect(await mustCall(app, 'codes.resolve', { code: attempt.code }, alice.accessToken)).toEqual({
      kind: 'login',
      attemptId: attempt.attemptId,
      device: { name: 'Windows 桌面端', platform: 'desktop' },
      expiresAt: attempt.expiresAt,
    });
    // Resolving changes nothing.
    expect((await stateOf(attempt)).state).toBe('pending');
    expect(await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken)).toEqual({
      attemptId: attempt.attemptId,
      device: { name: 'Windows 桌面端', platform: 'desktop' },
      expiresAt: attempt.expiresAt,
    });
    expect(await stateOf(attempt)).toEqual({
      state: 'scanned',
      expiresAt: attempt.expiresAt,
      scanner: { nickname: 'Alice', avatarFileId: null },
    });
    await mustCall(
      app,
      'auth.quickLogin.confirm',
      { attemptId: attempt.attemptId, allow: true },
      alice.accessToken,
    );
    const done = await stateOf(attempt);
    expect(done).toMatchObject({ state: 'confirmed', session: { userId: alice.userId } });
    const session = done.session;
    if (!session) throw new Error('no session');
    expect(session.sessionId).not.toBe(alice.sessionId);
    // The new session works and shows up as a device of Alice's.
    const devices = await mustCall(app, 'auth.devices', {}, session.tokens.accessToken);
    expect(devices.devices.find((d) => d.current)).toMatchObject({
      name: 'Windows 桌面端',
      platform: 'desktop',
    });
    const desk = await connectDevice(port, {
      ...alice,
      sessionId: session.sessionId,
      accessToken: session.tokens.accessToken,
    });
    expect((await desk.request('users.me', {})).body).toMatchObject({ id: alice.userId });
    desk.ws.close();
    // Replays: the session is handed out once; the code cannot be scanned or confirmed again.
    expect(errorOf(await status(attempt))).toEqual({ status: 400, code: 'CODE_INVALID' });
    expect(
      errorOf(await callOp(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken)).code,
    ).toBe('CODE_INVALID');
    expect(
      errorOf(
        await callOp(
          app,
          'auth.quickLogin.confirm',
          { attemptId: attempt.attemptId, allow: true },
          alice.accessToken,
        ),
      ).code,
    ).toBe('CODE_INVALID');
    expect(errorOf(await callOp(app, 'codes.resolve', { code: attempt.code }, alice.accessToken)).code).toBe(
      'CODE_INVALID',
    );
  });

  it('answers a long poll as soon as the code is scanned', async () => {
    const attempt = await start();
    const polled = status(attempt, 10_000);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken);
    const res = await polled;
    expect(res.body).toMatchObject({ state: 'scanned', scanner: { nickname: 'Alice' } });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('lets the phone decline, and the desktop learns it without a session', async () => {
    const attempt = await start();
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken);
    await mustCall(
      app,
      'auth.quickLogin.confirm',
      { attemptId: attempt.attemptId, allow: false },
      alice.accessToken,
    );
    const s = await stateOf(attempt);
    expect(s.state).toBe('declined');
    expect(s.session).toBeUndefined();
    expect(
      errorOf(
        await callOp(
          app,
          'auth.quickLogin.confirm',
          { attemptId: attempt.attemptId, allow: true },
          alice.accessToken,
        ),
      ).code,
    ).toBe('CODE_INVALID');
    expect((await stateOf(attempt)).state).toBe('declined');
  });

  it('refuses a second scanner and a confirmation from someone who did not scan', async () => {
    const attempt = await start();
    expect(
      errorOf(
        await callOp(
          app,
          'auth.quickLogin.confirm',
          { attemptId: attempt.attemptId, allow: true },
          alice.accessToken,
        ),
      ),
    ).toEqual({ status: 403, code: 'FORBIDDEN' });
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken);
    // Scanning twice from the same phone is fine.
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken);
    expect(
      errorOf(await callOp(app, 'auth.quickLogin.scan', { code: attempt.code }, mallory.accessToken)).code,
    ).toBe('CODE_INVALID');
    expect(
      errorOf(
        await callOp(
          app,
          'auth.quickLogin.confirm',
          { attemptId: attempt.attemptId, allow: true },
          mallory.accessToken,
        ),
      ),
    ).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await stateOf(attempt)).toMatchObject({ state: 'scanned', scanner: { nickname: 'Alice' } });
  });

  it('refuses a wrong poll token, an unknown attempt, forged codes and malformed bodies', async () => {
    const attempt = await start();
    expect(errorOf(await status({ ...attempt, pollToken: 'x'.repeat(32) }))).toEqual({
      status: 400,
      code: 'CODE_INVALID',
    });
    expect(errorOf(await status({ ...attempt, attemptId: 'NOATTEMPT000000000000000' })).code).toBe(
      'CODE_INVALID',
    );
    const forged = codeSignerFor(app.platform.keyring).sign({
      kind: 'l',
      subject: 'NOATTEMPT000000000000000',
      version: 1,
      expiresAt: Date.now() + 60_000,
    });
    const [p, k, payload] = attempt.code.split('.') as [string, string, string];
    const cases: Array<[string, string]> = [
      [forged, 'CODE_INVALID'],
      [`${p}.${k}.${payload}.bad`, 'CODE_INVALID'],
      [(await mustCall(app, 'codes.mine', {}, mallory.accessToken)).code, 'CODE_INVALID'],
    ];
    for (const [code, expected] of cases) {
      expect(errorOf(await callOp(app, 'auth.quickLogin.scan', { code }, alice.accessToken)).code).toBe(
        expected,
      );
    }
    const bad: Array<[Parameters<typeof callOp>[1], Record<string, unknown>, string | undefined]> = [
      ['auth.quickLogin.start', {}, undefined],
      ['auth.quickLogin.start', { device: { deviceId: 'short', name: 'x', platform: 'desktop' } }, undefined],
      [
        'auth.quickLogin.status',
        { attemptId: attempt.attemptId, pollToken: attempt.pollToken, waitMs: 60_000 },
        undefined,
      ],
      ['auth.quickLogin.confirm', { attemptId: attempt.attemptId, allow: 'yes' }, alice.accessToken],
    ];
    for (const [name, body, token] of bad) {
      expect(errorOf(await callOp(app, name, body, token)).code, name).toBe('VALIDATION_FAILED');
    }
    expect(errorOf(await callOp(app, 'auth.quickLogin.scan', { code: attempt.code })).code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await stateOf(attempt)).state).toBe('pending');
  });

  it('expires: an old code cannot be scanned or confirmed, and the desktop sees expired', async () => {
    const attempt = await start();
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, alice.accessToken);
    // The clock moves past the attempt's end (the signed code's own expiry is tested in codes.test.ts).
    await app.platform.db
      .updateTable('quick_login_attempts')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', attempt.attemptId)
      .execute();
    expect(await stateOf(attempt)).toEqual({ state: 'expired', expiresAt: expect.any(Number) });
    expect(
      errorOf(
        await callOp(
          app,
          'auth.quickLogin.confirm',
          { attemptId: attempt.attemptId, allow: true },
          alice.accessToken,
        ),
      ).code,
    ).toBe('CODE_EXPIRED');
    expect(
      errorOf(await callOp(app, 'auth.quickLogin.scan', { code: attempt.code }, mallory.accessToken)).code,
    ).toBe('CODE_EXPIRED');
    const expiredCode = codeSignerFor(app.platform.keyring).sign({
      kind: 'l',
      subject: attempt.attemptId,
      version: 1,
      expiresAt: Date.now() - 1,
    });
    expect(
      errorOf(await callOp(app, 'auth.quickLogin.scan', { code: expiredCode }, alice.accessToken)),
    ).toEqual({
      status: 410,
      code: 'CODE_EXPIRED',
    });
    expect((await stateOf(attempt)).session).toBeUndefined();
  });

  it('refuses the session when the scanner was disabled before the desktop collected it', async () => {
    const eve = await registerUser(app, { nickname: 'Eve' });
    const attempt = await start();
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, eve.accessToken);
    await mustCall(
      app,
      'auth.quickLogin.confirm',
      { attemptId: attempt.attemptId, allow: true },
      eve.accessToken,
    );
    await app.services.auth.setUserDisabled(eve.userId, true);
    expect(errorOf(await status(attempt))).toEqual({ status: 403, code: 'ACCOUNT_DISABLED' });
  });

  it('keeps scan and confirm on the WebSocket for a signed-in phone', async () => {
    const attempt = await start();
    const phone = await connectDevice(port, alice);
    expect(await phone.request('auth.quickLogin.scan', { code: attempt.code })).toMatchObject({
      ok: true,
      body: { attemptId: attempt.attemptId },
    });
    expect(
      await phone.request('auth.quickLogin.confirm', { attemptId: attempt.attemptId, allow: true }),
    ).toMatchObject({
      ok: true,
    });
    phone.ws.close();
    expect((await stateOf(attempt)).session?.userId).toBe(alice.userId);
  });
});
