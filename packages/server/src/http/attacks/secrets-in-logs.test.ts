import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { TestClient } from '../../gateway/testing.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { createLogger } from '../../platform/logger.ts';
import { DevSmsProvider } from '../../platform/sms/index.ts';
import { buildTestApp } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  lastSmsCode,
  loginUser,
  mustCall,
  randomPhone,
  registerUser,
  staffUser,
  testDevice,
} from '../../testing/factories.ts';

/**
 * Attack: read the logs (a log shipper, a support bundle, a shared terminal) and find credentials.
 * Through sign-up, sign-in (right and wrong), SMS codes, password reset and change, token refresh,
 * quick login, signed download links, export tickets, staff password resets and the custodian
 * passwords of the key hierarchy, the trace-level log holds no password, token, code, link
 * signature, custodian secret or phone number.
 */

/**
 * The development provider writes each code into the log on purpose (it exists to show codes to a
 * developer), so this test stands in a carrier that does not: what is checked is the server's own
 * logging. It still answers lastSmsCode as the dev provider does.
 */
class SilentCarrier extends DevSmsProvider {
  private readonly codes = new Map<string, string>();

  override async send(phone: string, code: string, purpose: string): Promise<void> {
    this.codes.set(`${phone}\0${purpose}`, code);
  }

  override lastCode(phone: string, purpose: string): string | undefined {
    return this.codes.get(`${phone}\0${purpose}`);
  }
}

const CUSTODIAN_1 = `custodian-one-${randomBytes(8).toString('hex')}`;
const CUSTODIAN_2 = `custodian-two-${randomBytes(8).toString('hex')}`;
const METRICS_TOKEN = `metrics-${randomBytes(8).toString('hex')}`;

describe('secrets in logs', () => {
  let app: App;
  let port: number;
  let logged = '';
  const secrets = new Set<string>([CUSTODIAN_1, CUSTODIAN_2, METRICS_TOKEN]);
  const remember = (...values: Array<string | undefined | null>) => {
    for (const v of values) if (v) secrets.add(v);
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString('utf8');
        done();
      },
    });
    const silentLog = createLogger('silent');
    app = await buildTestApp({
      log: createLogger('trace', 'zhixin', sink),
      sms: new SilentCarrier(silentLog),
      config: {
        logLevel: 'trace',
        auth: { smsResendSeconds: 0, loginMaxFailures: 3 },
        http: { rateLimitPerMinute: 100_000, callerLimitMultiplier: 1000, metricsToken: METRICS_TOKEN },
        security: { kdfLogN: 10, custodianPassword1: CUSTODIAN_1, custodianPassword2: CUSTODIAN_2 },
      },
    });
    port = await app.listen();

    // Sign-up and sign-in, right and wrong, until the phone locks.
    const user = await registerUser(app);
    remember(user.password, user.accessToken, user.refreshToken, user.phone, user.phone.slice(-11));
    const again = await loginUser(app, user.phone, user.password);
    remember(again.accessToken, again.refreshToken);
    for (let i = 0; i < 4; i++) {
      const wrong = `wrong-password-${i}-${randomBytes(4).toString('hex')}`;
      remember(wrong);
      await callOp(app, 'auth.loginPassword', { phone: user.phone, password: wrong, device: testDevice() });
    }
    // An unknown phone, too.
    const stranger = randomPhone();
    remember(stranger, stranger.slice(-11));
    await callOp(app, 'auth.sendSmsCode', { phone: stranger, purpose: 'login' });
    await callOp(app, 'auth.loginPassword', {
      phone: stranger,
      password: 'not registered at all',
      device: testDevice(),
    });

    // A reset by SMS code (it also lifts the lock).
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'reset_password' });
    const resetCode = lastSmsCode(app, user.phone, 'reset_password');
    const resetPassword = `reset-${randomBytes(6).toString('hex')}`;
    remember(resetCode, resetPassword);
    await mustCall(app, 'auth.resetPassword', {
      phone: user.phone,
      code: resetCode,
      password: resetPassword,
    });

    // SMS login (the reset lifted the lock) and a replayed code.
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'login' });
    const loginCode = lastSmsCode(app, user.phone, 'login');
    remember(loginCode);
    const bySms = await mustCall(app, 'auth.loginSms', {
      phone: user.phone,
      code: loginCode,
      device: testDevice(),
    });
    remember(bySms.tokens.accessToken, bySms.tokens.refreshToken);
    await callOp(app, 'auth.loginSms', { phone: user.phone, code: loginCode, device: testDevice() });

    // Change the password, rotate and replay a refresh token.
    const fresh = await loginUser(app, user.phone, resetPassword);
    remember(fresh.accessToken, fresh.refreshToken);
    const changed = `changed-${randomBytes(6).toString('hex')}`;
    remember(changed);
    await mustCall(
      app,
      'auth.changePassword',
      { oldPassword: resetPassword, newPassword: changed },
      fresh.accessToken,
    );
    const rotated = await mustCall(app, 'auth.refresh', { refreshToken: fresh.refreshToken });
    remember(rotated.tokens.accessToken, rotated.tokens.refreshToken);
    await callOp(app, 'auth.refresh', { refreshToken: fresh.refreshToken });

    // The WebSocket: a good and a forged token.
    const current = await loginUser(app, user.phone, changed);
    remember(current.accessToken, current.refreshToken);
    const ws = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    ws.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: current.accessToken });
    await ws.next((f) => f.type === 'hello');
    ws.close();
    const forged = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    forged.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: `${current.accessToken}x` });
    await forged.closed;

    // Quick login: the code and the poll token.
    const attempt = await mustCall(app, 'auth.quickLogin.start', { device: testDevice() });
    remember(attempt.code, attempt.pollToken);
    await mustCall(app, 'auth.quickLogin.scan', { code: attempt.code }, current.accessToken);
    await mustCall(
      app,
      'auth.quickLogin.confirm',
      { attemptId: attempt.attemptId, allow: true },
      current.accessToken,
    );
    const status = await mustCall(app, 'auth.quickLogin.status', {
      attemptId: attempt.attemptId,
      pollToken: attempt.pollToken,
    });
    remember(status.session?.tokens.accessToken, status.session?.tokens.refreshToken);

    // A signed download link, used.
    const tus = new TusTestClient(`http://127.0.0.1:${port}`, current.accessToken);
    const { id } = await tus.upload(randomBytes(100), { filename: 'payroll.xlsx' });
    const link = (await mustCall(app, 'files.link', { id }, current.accessToken)).url;
    remember(new URL(link, 'http://x').searchParams.get('sig'));
    await app.http.inject(link);

    // Staff: an export ticket, a generated and a given password, the metrics token.
    const operator = await staffUser(app, 'operator');
    remember(operator.password, operator.accessToken, operator.refreshToken, operator.phone.slice(-11));
    const ticket = await mustCall(
      app,
      'exports.ticket',
      { kind: 'users', format: 'csv' },
      operator.accessToken,
    );
    remember(new URL(ticket.url, 'http://x').searchParams.get('ticket'));
    await app.http.inject(ticket.url);
    const generated = await mustCall(
      app,
      'admin.users.resetPassword',
      { userId: user.userId },
      operator.accessToken,
    );
    remember(generated.password);
    const given = `given-${randomBytes(6).toString('hex')}`;
    remember(given);
    await mustCall(
      app,
      'admin.users.resetPassword',
      { userId: user.userId, password: given },
      operator.accessToken,
    );
    const admin = await adminUser(app);
    remember(admin.password, admin.accessToken, admin.phone.slice(-11));
    await app.http.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    await app.http.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-metrics-token' } });
  });
  afterAll(() => app.close());

  it('wrote a log at all (the capture works)', () => {
    expect(logged).toContain('Server listening');
  });

  it('holds no password, token, code, link signature, custodian secret or phone number', () => {
    for (const secret of secrets) {
      expect(logged.includes(secret), `found ${secret.slice(0, 12)}… in the log`).toBe(false);
    }
    // Tokens in any form: no JWT at all, and no bearer header value.
    expect(logged).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    expect(logged).not.toMatch(/Bearer [A-Za-z0-9]/);
  });

  it('redacts secret fields whatever module logs them, up to two levels deep', () => {
    const before = logged.length;
    const log = app.platform.log.child({ module: 'any' });
    const secret = `s3cret-${randomBytes(6).toString('hex')}`;
    log.info(
      {
        password: secret,
        phone: secret,
        body: { password: secret, oldPassword: secret, newPassword: secret, code: secret, phone: secret },
        tokens: { accessToken: secret, refreshToken: secret, token: secret, pollToken: secret },
        req: { headers: { authorization: `Bearer ${secret}`, cookie: secret }, body: { password: secret } },
        query: { sig: secret, ticket: secret, grant: secret },
        security: { custodianPassword1: secret, custodianPassword2: secret },
        sms: { phone: secret },
      },
      'a careless log line',
    );
    const line = logged.slice(before);
    expect(line).toContain('a careless log line');
    expect(line).not.toContain(secret);
  });

  it('keeps secrets out of the audit log too', async () => {
    const rows = await app.platform.db.selectFrom('audit_log').selectAll().execute();
    expect(rows.length).toBeGreaterThan(5);
    const text = JSON.stringify(rows);
    // As a whole token: a 6-digit code can sit by chance inside a timestamp or a hash of the rows.
    const leaked = (secret: string) =>
      new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`).test(
        text,
      );
    for (const secret of secrets) expect(leaked(secret), secret.slice(0, 12)).toBe(false);
  });
});
