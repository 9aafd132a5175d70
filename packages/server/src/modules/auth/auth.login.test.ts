import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  callOp,
  errorOf,
  lastSmsCode,
  loginUser,
  mustCall,
  randomPhone,
  registerUser,
  testDevice,
} from '../../testing/factories.ts';

/** Move the clock (Date only; timers and I/O keep running) by `ms` from now. */
function travel(ms: number): void {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'], now: now + ms });
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each(testDialects())('logging in (%s)', (dialect) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { auth: { loginMaxFailures: 3, lockoutMinutes: 1 } } });
  });
  afterAll(() => app.close());

  it('logs in with phone and password, with or without +86', async () => {
    const user = await registerUser(app);
    const a = await loginUser(app, user.phone, user.password);
    const b = await loginUser(app, user.phone.slice(3), user.password);
    expect(a.userId).toBe(user.userId);
    expect(b.userId).toBe(user.userId);
    expect(new Set([user.sessionId, a.sessionId, b.sessionId]).size).toBe(3);
  });

  it('answers a wrong password and an unknown phone with the same INVALID_CREDENTIALS', async () => {
    const user = await registerUser(app);
    const wrong = await callOp(app, 'auth.loginPassword', {
      phone: user.phone,
      password: 'not-the-password',
      device: testDevice(),
    });
    const unknown = await callOp(app, 'auth.loginPassword', {
      phone: randomPhone(),
      password: user.password,
      device: testDevice(),
    });
    expect(errorOf(wrong)).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('logs in with an SMS code, which works only once', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'login' });
    const code = lastSmsCode(app, user.phone, 'login');
    const session = await mustCall(app, 'auth.loginSms', { phone: user.phone, code, device: testDevice() });
    expect(session.userId).toBe(user.userId);
    const again = await callOp(app, 'auth.loginSms', { phone: user.phone, code, device: testDevice() });
    expect(errorOf(again)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  it('answers an SMS code request for an unknown phone like for a known one, but sends nothing', async () => {
    const user = await registerUser(app);
    const stranger = randomPhone();
    for (const purpose of ['login', 'reset_password'] as const) {
      const known = await callOp(app, 'auth.sendSmsCode', { phone: user.phone, purpose });
      const unknown = await callOp(app, 'auth.sendSmsCode', { phone: stranger, purpose });
      expect(unknown.status).toBe(200);
      expect(unknown.body).toEqual(known.body);
      expect(() => lastSmsCode(app, stranger, purpose)).toThrow(/no SMS code/);
      // The resend limit applies alike, so it reveals nothing either.
      const knownAgain = await callOp(app, 'auth.sendSmsCode', { phone: user.phone, purpose });
      const unknownAgain = await callOp(app, 'auth.sendSmsCode', { phone: stranger, purpose });
      expect(errorOf(unknownAgain)).toEqual({ status: 429, code: 'RATE_LIMITED' });
      expect(unknownAgain.body).toEqual(knownAgain.body);
    }
    const login = await callOp(app, 'auth.loginSms', {
      phone: stranger,
      code: '123456',
      device: testDevice(),
    });
    expect(errorOf(login)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  it('locks a phone after loginMaxFailures failures, refusing even the right password until lockoutMinutes pass', async () => {
    const user = await registerUser(app);
    const attempt = (password: string) =>
      callOp(app, 'auth.loginPassword', { phone: user.phone, password, device: testDevice() });
    for (let i = 0; i < 3; i++)
      expect(errorOf(await attempt('wrong-password'))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    const locked = await attempt(user.password);
    expect(errorOf(locked)).toEqual({ status: 423, code: 'ACCOUNT_LOCKED' });
    const retry = (locked.body.error?.details as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);
    // SMS login is locked too.
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'login' });
    const sms = await callOp(app, 'auth.loginSms', {
      phone: user.phone,
      code: lastSmsCode(app, user.phone, 'login'),
      device: testDevice(),
    });
    expect(errorOf(sms)).toEqual({ status: 423, code: 'ACCOUNT_LOCKED' });

    travel(61_000);
    expect((await attempt(user.password)).status).toBe(200);
  });

  it('locks unknown phones the same way as registered ones', async () => {
    const phone = randomPhone();
    const attempt = () =>
      callOp(app, 'auth.loginPassword', { phone, password: 'whatever-1', device: testDevice() });
    for (let i = 0; i < 3; i++) await attempt();
    expect(errorOf(await attempt())).toEqual({ status: 423, code: 'ACCOUNT_LOCKED' });
  });

  it('forgets earlier failures after a successful login', async () => {
    const user = await registerUser(app);
    const attempt = (password: string) =>
      callOp(app, 'auth.loginPassword', { phone: user.phone, password, device: testDevice() });
    await attempt('wrong-password');
    await attempt('wrong-password');
    expect((await attempt(user.password)).status).toBe(200);
    await attempt('wrong-password');
    await attempt('wrong-password');
    expect((await attempt(user.password)).status).toBe(200);
  });

  it('resets the password with an SMS code, ending every session', async () => {
    const user = await registerUser(app);
    const other = await loginUser(app, user.phone, user.password);
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'reset_password' });
    const code = lastSmsCode(app, user.phone, 'reset_password');
    await mustCall(app, 'auth.resetPassword', { phone: user.phone, code, password: 'brand-new-password' });
    for (const token of [user.accessToken, other.accessToken]) {
      expect(errorOf(await callOp(app, 'users.me', {}, token))).toEqual({
        status: 401,
        code: 'SESSION_REVOKED',
      });
    }
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: other.refreshToken }))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    const old = await callOp(app, 'auth.loginPassword', {
      phone: user.phone,
      password: user.password,
      device: testDevice(),
    });
    expect(errorOf(old)).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await loginUser(app, user.phone, 'brand-new-password')).userId).toBe(user.userId);
  });

  it('refuses a reset with a wrong code and keeps the password', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'reset_password' });
    const code = lastSmsCode(app, user.phone, 'reset_password');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const res = await callOp(app, 'auth.resetPassword', {
      phone: user.phone,
      code: wrong,
      password: 'brand-new-password',
    });
    expect(errorOf(res)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
    expect((await loginUser(app, user.phone, user.password)).userId).toBe(user.userId);
  });

  it('changes the password, ending the other sessions but not this one', async () => {
    const user = await registerUser(app);
    const other = await loginUser(app, user.phone, user.password);
    const wrong = await callOp(
      app,
      'auth.changePassword',
      { oldPassword: 'not-my-password', newPassword: 'next-password' },
      user.accessToken,
    );
    expect(errorOf(wrong)).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
    await mustCall(
      app,
      'auth.changePassword',
      { oldPassword: user.password, newPassword: 'next-password' },
      user.accessToken,
    );
    expect((await callOp(app, 'users.me', {}, user.accessToken)).status).toBe(200);
    expect(errorOf(await callOp(app, 'users.me', {}, other.accessToken))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    expect((await loginUser(app, user.phone, 'next-password')).userId).toBe(user.userId);
  });

  it('refuses a disabled user with ACCOUNT_DISABLED and ends their sessions', async () => {
    const user = await registerUser(app);
    await app.services.auth.setUserDisabled(user.userId, true);
    expect(errorOf(await callOp(app, 'users.me', {}, user.accessToken))).toEqual({
      status: 401,
      code: 'SESSION_REVOKED',
    });
    const login = await callOp(app, 'auth.loginPassword', {
      phone: user.phone,
      password: user.password,
      device: testDevice(),
    });
    expect(errorOf(login)).toEqual({ status: 403, code: 'ACCOUNT_DISABLED' });
    expect(await app.services.users.existing([user.userId])).toEqual(new Set());
    await app.services.auth.setUserDisabled(user.userId, false);
    expect((await loginUser(app, user.phone, user.password)).userId).toBe(user.userId);
  });

  it('records the last activity time on login', async () => {
    const user = await registerUser(app);
    const lastActive = async () =>
      (
        await app.platform.db
          .selectFrom('users')
          .select('last_active_at')
          .where('id', '=', user.userId)
          .executeTakeFirstOrThrow()
      ).last_active_at;
    const first = await lastActive();
    expect(first).toBeTypeOf('number');
    travel(5_000);
    await loginUser(app, user.phone, user.password);
    expect(await lastActive()).toBeGreaterThanOrEqual((first as number) + 5_000);
  });
});
