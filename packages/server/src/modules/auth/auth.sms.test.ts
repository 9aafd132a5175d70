import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { createLogger } from '../../platform/logger.ts';
import { DevSmsProvider } from '../../platform/sms/index.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, lastSmsCode, mustCall, randomPhone, testDevice } from '../../testing/factories.ts';

function travel(ms: number): void {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'], now: now + ms });
}

afterEach(() => {
  vi.useRealTimers();
});

const register = (app: App, phone: string, code: string) =>
  callOp(app, 'auth.register', {
    phone,
    code,
    password: 'password-1',
    nickname: 'sms',
    device: testDevice(),
  });

const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe.each(testDialects())('SMS codes (%s)', (dialect) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({
      dialect,
      config: {
        auth: { smsResendSeconds: 60, smsMaxPerPhonePerDay: 3, smsMaxAttempts: 3, smsCodeTtlSeconds: 300 },
      },
    });
  });
  afterAll(() => app.close());

  it('sends 6-digit codes and tells when the next one may be requested', async () => {
    const phone = randomPhone();
    const res = await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    expect(res).toEqual({ retryAfterSeconds: 60 });
    expect(lastSmsCode(app, phone, 'register')).toMatch(/^[0-9]{6}$/);
  });

  it('refuses a resend within smsResendSeconds with RATE_LIMITED and retryAfterSeconds', async () => {
    const phone = randomPhone();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const first = lastSmsCode(app, phone, 'register');
    travel(20_000);
    const again = await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    expect(errorOf(again)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(again.body.error?.details).toEqual({ retryAfterSeconds: 40 });
    expect(lastSmsCode(app, phone, 'register')).toBe(first);
    // Another purpose has its own resend clock.
    expect((await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'login' })).status).toBe(200);
    travel(61_000);
    expect((await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' })).status).toBe(200);
  });

  it('sends at most smsMaxPerPhonePerDay codes to a phone in 24 hours', async () => {
    const phone = randomPhone();
    const start = Date.now();
    for (let i = 0; i < 3; i++) {
      vi.useFakeTimers({ toFake: ['Date'], now: start + i * 61_000 });
      expect((await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' })).status).toBe(200);
    }
    vi.useFakeTimers({ toFake: ['Date'], now: start + 3 * 61_000 });
    const refused = await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    expect(errorOf(refused)).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect(refused.body.error?.details).toEqual({ retryAfterSeconds: 86_400 - 183, reason: 'daily_limit' });
    vi.useFakeTimers({ toFake: ['Date'], now: start + 86_400_000 + 1 });
    expect((await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' })).status).toBe(200);
  });

  it('burns a code after smsMaxAttempts wrong tries', async () => {
    const phone = randomPhone();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const code = lastSmsCode(app, phone, 'register');
    for (let i = 0; i < 3; i++) {
      expect(errorOf(await register(app, phone, otherCode(code)))).toEqual({
        status: 401,
        code: 'SMS_CODE_INVALID',
      });
    }
    expect(errorOf(await register(app, phone, code))).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  it('accepts the right code after fewer wrong tries than the limit', async () => {
    const phone = randomPhone();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const code = lastSmsCode(app, phone, 'register');
    await register(app, phone, otherCode(code));
    await register(app, phone, otherCode(code));
    expect((await register(app, phone, code)).status).toBe(200);
  });

  it('refuses a code older than smsCodeTtlSeconds', async () => {
    const phone = randomPhone();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const code = lastSmsCode(app, phone, 'register');
    travel(301_000);
    expect(errorOf(await register(app, phone, code))).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  it('accepts only the latest code after a resend', async () => {
    const phone = randomPhone();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const first = lastSmsCode(app, phone, 'register');
    travel(61_000);
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
    const second = lastSmsCode(app, phone, 'register');
    if (first !== second)
      expect(errorOf(await register(app, phone, first))).toMatchObject({ code: 'SMS_CODE_INVALID' });
    expect((await register(app, phone, second)).status).toBe(200);
  });
});

/** A carrier that fails the first `failures` sends, then delivers like the dev provider. */
class FlakySms extends DevSmsProvider {
  constructor(private failures: number) {
    super(createLogger('silent'));
  }

  override async send(phone: string, code: string, purpose: string): Promise<void> {
    if (this.failures-- > 0) throw new AppError('UNAVAILABLE', { reason: 'sms_gateway' });
    await super.send(phone, code, purpose);
  }
}

describe.each(testDialects())('an SMS carrier failure (%s)', (dialect) => {
  it('answers UNAVAILABLE and lets the user retry at once', async () => {
    const app = await buildTestApp({ dialect, sms: new FlakySms(1) });
    try {
      const phone = randomPhone();
      const failed = await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
      expect(errorOf(failed)).toEqual({ status: 503, code: 'UNAVAILABLE' });
      await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'register' });
      expect((await register(app, phone, lastSmsCode(app, phone, 'register'))).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
