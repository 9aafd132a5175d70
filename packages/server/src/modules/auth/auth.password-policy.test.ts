import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  lastSmsCode,
  loginUser,
  mustCall,
  randomPhone,
  registerUser,
  testDevice,
} from '../../testing/factories.ts';

/** Weak passwords for a phone: each must be refused wherever a person chooses a password. */
function weakPasswordsFor(phone: string): string[] {
  const national = phone.slice(-11);
  return ['12345678', '1234567890123', 'aaaaaaaa', 'Password1', 'qwerty123', national, `${national}a`, phone];
}

async function userCount(app: App): Promise<number> {
  const row = await app.platform.db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('password policy', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ config: { auth: { smsResendSeconds: 0 } } });
  });
  afterAll(() => app.close());

  it('refuses weak passwords at registration with PASSWORD_WEAK, keeps the code usable and creates nobody', async () => {
    const phone = randomPhone();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const code = lastSmsCode(app, phone, 'register');
    const before = await userCount(app);
    for (const password of weakPasswordsFor(phone)) {
      const res = await callOp(app, 'auth.register', {
        phone,
        code,
        password,
        nickname: '弱密码',
        device: testDevice(),
      });
      expect(errorOf(res), password).toEqual({ status: 400, code: 'PASSWORD_WEAK' });
    }
    expect(await userCount(app)).toBe(before);
    // A good password with the same code still works: the refusals did not burn it.
    const ok = await callOp(app, 'auth.register', {
      phone,
      code,
      password: 'a better passphrase',
      nickname: '强密码',
      device: testDevice(),
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a short password by schema', async () => {
    const res = await callOp(app, 'auth.register', {
      phone: randomPhone(),
      code: '123456',
      password: 'abc12',
      nickname: 'x',
      device: testDevice(),
    });
    expect(errorOf(res)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses weak passwords on change and keeps the old one', async () => {
    const user = await registerUser(app);
    for (const newPassword of weakPasswordsFor(user.phone)) {
      const res = await callOp(
        app,
        'auth.changePassword',
        { oldPassword: user.password, newPassword },
        user.accessToken,
      );
      expect(errorOf(res), newPassword).toEqual({ status: 400, code: 'PASSWORD_WEAK' });
    }
    await loginUser(app, user.phone, user.password);
  });

  it('refuses weak passwords on reset by SMS code', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'reset_password' });
    const code = lastSmsCode(app, user.phone, 'reset_password');
    const res = await callOp(app, 'auth.resetPassword', { phone: user.phone, code, password: '88888888' });
    expect(errorOf(res)).toEqual({ status: 400, code: 'PASSWORD_WEAK' });
    await loginUser(app, user.phone, user.password);
  });

  it('refuses a weak password an operator sets for a user', async () => {
    const admin = await adminUser(app);
    const user = await registerUser(app);
    const res = await callOp(
      app,
      'admin.users.resetPassword',
      { userId: user.userId, password: user.phone.slice(-11) + 'x' },
      admin.accessToken,
    );
    expect(errorOf(res)).toEqual({ status: 400, code: 'PASSWORD_WEAK' });
    await loginUser(app, user.phone, user.password);
  });
});
