import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  loginUser,
  mustCall,
  registerUser,
  testDevice,
  type TestUser,
} from '../../testing/factories.ts';
import { maskPhone } from './auth.evidence.ts';

describe('maskPhone', () => {
  it('keeps the first three and last four digits of the national number', () => {
    expect(maskPhone('+8613812345678')).toBe('138****5678');
    expect(maskPhone('+442071838750')).toBe('+44****8750');
  });
});

describe.each(testDialects())('sign-in evidence in the audit log (%s)', (dialect) => {
  let app: App;
  let auditor: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { auth: { loginMaxFailures: 3 } } });
    auditor = await adminUser(app);
  });
  afterAll(() => app.close());

  async function records(action: string, subject?: string) {
    const page = await mustCall(
      app,
      'audit.list',
      { action, ...(subject ? { subject } : {}) },
      auditor.accessToken,
    );
    return page.records;
  }

  it('records logins, failures, lockouts and logouts with the phone masked and never the password', async () => {
    const user = await registerUser(app);
    const session = await loginUser(app, user.phone, user.password, 'evidence-device');
    const ok = (await records('auth.login', user.userId)).filter((r) => r.deviceId === 'evidence-device');
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatchObject({
      category: 'auth',
      actorId: user.userId,
      details: { method: 'password', phone: maskPhone(user.phone) },
    });
    expect(ok[0]?.ip).toMatch(/^10\./);

    for (let i = 0; i < 3; i++) {
      await callOp(app, 'auth.loginPassword', {
        phone: user.phone,
        password: `wrong-guess-${i}`,
        device: testDevice(),
      });
    }
    const failures = (await records('auth.login.failed')).filter(
      (r) => r.details.phone === maskPhone(user.phone),
    );
    expect(failures.map((r) => r.details.reason)).toEqual(Array(3).fill('INVALID_CREDENTIALS'));
    const locked = await records('security.lockout');
    expect(locked.some((r) => r.details.phone === maskPhone(user.phone))).toBe(true);
    const all = JSON.stringify(await records('auth.'));
    expect(all).not.toContain('wrong-guess');
    expect(all).not.toContain(user.password);
    expect(all).not.toContain(user.phone);

    await mustCall(app, 'auth.logout', {}, session.accessToken);
    const out = await records('auth.logout', user.userId);
    expect(out[0]?.details).toEqual({ sessionId: session.sessionId });
  });

  it('records sessions ended by someone else', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'admin.users.logout', { userId: user.userId }, auditor.accessToken);
    const revoked = await records('security.sessions.revoked', user.userId);
    expect(revoked[0]?.details).toEqual({ reason: 'revoked_by_staff', sessionIds: [user.sessionId] });
  });
});
