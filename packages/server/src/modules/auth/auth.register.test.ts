import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  callOp,
  errorOf,
  lastSmsCode,
  mustCall,
  randomPhone,
  registerUser,
  testDevice,
} from '../../testing/factories.ts';

async function userCount(app: App): Promise<number> {
  const row = await app.platform.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function sendCode(
  app: App,
  phone: string,
  purpose: 'register' | 'login' | 'reset_password' = 'register',
) {
  await mustCall(app, 'auth.sendSmsCode', { phone, purpose });
  return lastSmsCode(app, phone, purpose);
}

describe.each(testDialects())('registration (%s)', (dialect) => {
  let app: App;
  beforeAll(async () => {
    // No resend wait: some tests ask twice for a phone's code (the wait has its own tests).
    app = await buildTestApp({ dialect, config: { auth: { smsResendSeconds: 0 } } });
  });
  afterAll(() => app.close());

  it('registers with an SMS code and returns a working session', async () => {
    const phone = randomPhone();
    const code = await sendCode(app, phone);
    const res = await callOp(app, 'auth.register', {
      phone,
      code,
      password: 'correct horse',
      nickname: '小王',
      device: testDevice(),
    });
    expect(res.status).toBe(200);
    const session = res.body;
    expect(session.tokens.accessExpiresAt).toBeGreaterThan(Date.now());
    expect(session.tokens.refreshExpiresAt).toBeGreaterThan(session.tokens.accessExpiresAt);
    const me = await mustCall(app, 'users.me', {}, session.tokens.accessToken);
    expect(me).toMatchObject({
      id: session.userId,
      phone,
      nickname: '小王',
      signature: '',
      avatarFileId: null,
      role: 'user',
    });
  });

  it('stores the phone and profile encrypted and the password as an argon2id hash', async () => {
    const user = await registerUser(app, { nickname: '加密测试' });
    const row = await app.platform.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(user.phone.slice(3));
    expect(raw).not.toContain('加密测试');
    expect(raw).not.toContain(user.password);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.phone_index).toBe(app.platform.keyring.blindIndex('phone', user.phone));
  });

  it('accepts a mainland number without +86 and stores it in E.164', async () => {
    const e164 = randomPhone();
    const local = e164.slice(3);
    await mustCall(app, 'auth.sendSmsCode', { phone: local, purpose: 'register' });
    const session = await mustCall(app, 'auth.register', {
      phone: local,
      code: lastSmsCode(app, e164, 'register'),
      password: 'password-1',
      nickname: 'local',
      device: testDevice(),
    });
    expect((await mustCall(app, 'users.me', {}, session.tokens.accessToken)).phone).toBe(e164);
  });

  it('refuses a phone that is already registered with PHONE_TAKEN', async () => {
    const user = await registerUser(app);
    const code = await sendCode(app, user.phone);
    const res = await callOp(app, 'auth.register', {
      phone: user.phone,
      code,
      password: 'another-password',
      nickname: 'dup',
      device: testDevice(),
    });
    expect(errorOf(res)).toEqual({ status: 409, code: 'PHONE_TAKEN' });
  });

  it('refuses a wrong code, and a code sent for another purpose, without creating a user', async () => {
    const user = await registerUser(app);
    const phone = randomPhone();
    const code = await sendCode(app, phone);
    const before = await userCount(app);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const body = { phone, password: 'password-1', nickname: 'x', device: testDevice() };
    expect(errorOf(await callOp(app, 'auth.register', { ...body, code: wrong }))).toEqual({
      status: 401,
      code: 'SMS_CODE_INVALID',
    });
    // A login code of a registered phone is no registration code.
    const loginCode = await sendCode(app, user.phone, 'login');
    const other = await callOp(app, 'auth.register', { ...body, phone: user.phone, code: loginCode });
    expect(errorOf(other)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
    expect(await userCount(app)).toBe(before);
  });

  it('answers typed validation errors and changes nothing', async () => {
    const phone = randomPhone();
    const code = await sendCode(app, phone);
    const before = await userCount(app);
    const good = { phone, code, password: 'password-1', nickname: 'ok', device: testDevice() };
    const bad: Array<Record<string, unknown>> = [
      { ...good, phone: '12345' },
      { ...good, password: 'short' },
      { ...good, nickname: '' },
      { ...good, nickname: '   ' },
      { ...good, device: { deviceId: 'x', name: 'n', platform: 'web' } },
      { ...good, device: undefined },
      { ...good, code: '12345a' },
    ];
    for (const body of bad) {
      const res = await callOp(app, 'auth.register', body);
      expect(errorOf(res)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.error?.message).toBeTypeOf('string');
    }
    expect(await userCount(app)).toBe(before);
    // The code survived the rejected attempts.
    expect((await callOp(app, 'auth.register', good)).status).toBe(200);
  });
});

describe.each(testDialects())('license cap (%s)', (dialect) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { license: { maxUsers: 2 } } });
  });
  afterAll(() => app.close());

  it('refuses registration with LICENSE_EXHAUSTED once maxUsers users exist, and a disabled user frees a seat', async () => {
    const first = await registerUser(app);
    await registerUser(app);
    const phone = randomPhone();
    const send = await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    expect(errorOf(send)).toEqual({ status: 422, code: 'LICENSE_EXHAUSTED' });
    expect(send.body.error?.details).toEqual({ maxUsers: 2 });

    await app.services.auth.setUserDisabled(first.userId, true);
    const third = await registerUser(app, { phone });
    expect(third.userId).toBeTruthy();
    // Re-enabling would exceed the license.
    await expect(app.services.auth.setUserDisabled(first.userId, false)).rejects.toMatchObject({
      code: 'LICENSE_EXHAUSTED',
    });
  });

  it('also refuses at registration when the seats filled up after the code was sent', async () => {
    const full = await buildTestApp({ dialect, config: { license: { maxUsers: 1 } } });
    try {
      const phone = randomPhone();
      const code = await sendCode(full, phone);
      await registerUser(full);
      const res = await callOp(full, 'auth.register', {
        phone,
        code,
        password: 'password-1',
        nickname: 'late',
        device: testDevice(),
      });
      expect(errorOf(res)).toEqual({ status: 422, code: 'LICENSE_EXHAUSTED' });
    } finally {
      await full.close();
    }
  });
});
