import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { TestClient } from '../../gateway/testing.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import {
  callOp,
  errorOf,
  lastSmsCode,
  loginUser,
  mustCall,
  registerUser,
  testDevice,
  type TestUser,
} from '../../testing/factories.ts';

/**
 * Attack: replay a credential after it should have died, or forge one. Access tokens die with their
 * session (logout, device revoke, password change or reset), a reused refresh token ends its whole
 * session, SMS codes and download links work once or until they expire, and a JWT verifies only
 * with our key, our algorithm and our audience.
 */

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

async function status(app: App, token: string): Promise<{ status: number; code: string | undefined }> {
  return errorOf(await callOp(app, 'users.me', {}, token));
}

const OK = { status: 200, code: undefined };
const REVOKED = { status: 401, code: 'SESSION_REVOKED' };

describe('token replay and forgery', () => {
  let app: App;
  let port: number;
  beforeAll(async () => {
    app = await buildTestApp({ config: { auth: { smsResendSeconds: 0 }, files: { linkTtlSeconds: 10 } } });
    port = await app.listen();
  });
  afterAll(() => app.close());
  afterEach(() => vi.useRealTimers());

  it('refuses the access token of a session that logged out, on REST and WebSocket', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'auth.logout', {}, user.accessToken);
    expect(await status(app, user.accessToken)).toEqual(REVOKED);
    const ws = await TestClient.connect(`ws://127.0.0.1:${port}/ws`);
    ws.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: user.accessToken });
    const closed = await ws.closed;
    expect(closed.code).not.toBe(1000);
    expect(ws.frames.find((f) => f.type === 'hello')).toBeUndefined();
  });

  it('refuses the access token of a device revoked from another device', async () => {
    const phone = await registerUser(app);
    const laptop = await loginUser(app, phone.phone, phone.password);
    await mustCall(app, 'auth.revokeDevice', { sessionId: laptop.sessionId }, phone.accessToken);
    expect(await status(app, laptop.accessToken)).toEqual(REVOKED);
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: laptop.refreshToken }))).toEqual(
      REVOKED,
    );
    expect(await status(app, phone.accessToken)).toEqual(OK);
  });

  it('refuses the other sessions after a password change, keeps the changing one', async () => {
    const user = await registerUser(app);
    const thief = await loginUser(app, user.phone, user.password);
    await mustCall(
      app,
      'auth.changePassword',
      { oldPassword: user.password, newPassword: 'a new long passphrase' },
      user.accessToken,
    );
    expect(await status(app, thief.accessToken)).toEqual(REVOKED);
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: thief.refreshToken }))).toEqual(REVOKED);
    expect(await status(app, user.accessToken)).toEqual(OK);
    // The old password no longer signs in.
    const old = await callOp(app, 'auth.loginPassword', {
      phone: user.phone,
      password: user.password,
      device: testDevice(),
    });
    expect(errorOf(old)).toEqual({ status: 401, code: 'INVALID_CREDENTIALS' });
  });

  it('refuses every session after a password reset by SMS', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'reset_password' });
    const code = lastSmsCode(app, user.phone, 'reset_password');
    await mustCall(app, 'auth.resetPassword', { phone: user.phone, code, password: 'reset passphrase 1' });
    expect(await status(app, user.accessToken)).toEqual(REVOKED);
    // The same code cannot reset it again.
    const replay = await callOp(app, 'auth.resetPassword', {
      phone: user.phone,
      code,
      password: 'reset passphrase 2',
    });
    expect(errorOf(replay)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  it('ends the whole session when a rotated refresh token is used again', async () => {
    const user = await registerUser(app);
    const rotated = await mustCall(app, 'auth.refresh', { refreshToken: user.refreshToken });
    // The thief replays the old token: refused, and the session ends for the victim too.
    const replay = await callOp(app, 'auth.refresh', { refreshToken: user.refreshToken });
    expect(errorOf(replay)).toEqual(REVOKED);
    expect(replay.body.error?.details).toEqual({ reason: 'refresh_token_reused' });
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: rotated.tokens.refreshToken }))).toEqual(
      REVOKED,
    );
    expect(await status(app, rotated.tokens.accessToken)).toEqual(REVOKED);
    expect(await status(app, user.accessToken)).toEqual(REVOKED);
  });

  it('accepts an SMS login code once', async () => {
    const user = await registerUser(app);
    await mustCall(app, 'auth.sendSmsCode', { phone: user.phone, purpose: 'login' });
    const code = lastSmsCode(app, user.phone, 'login');
    await mustCall(app, 'auth.loginSms', { phone: user.phone, code, device: testDevice() });
    const replay = await callOp(app, 'auth.loginSms', { phone: user.phone, code, device: testDevice() });
    expect(errorOf(replay)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  it('refuses an SMS code sent for another purpose or another phone', async () => {
    const victim = await registerUser(app);
    const attacker = await registerUser(app);
    await mustCall(app, 'auth.sendSmsCode', { phone: attacker.phone, purpose: 'login' });
    const code = lastSmsCode(app, attacker.phone, 'login');
    const otherPhone = await callOp(app, 'auth.loginSms', {
      phone: victim.phone,
      code,
      device: testDevice(),
    });
    expect(errorOf(otherPhone)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
    const otherPurpose = await callOp(app, 'auth.resetPassword', {
      phone: attacker.phone,
      code,
      password: 'a new long passphrase',
    });
    expect(errorOf(otherPurpose)).toEqual({ status: 401, code: 'SMS_CODE_INVALID' });
  });

  describe('download links', () => {
    let owner: TestUser;
    let link: string;
    beforeAll(async () => {
      owner = await registerUser(app);
      const tus = new TusTestClient(`http://127.0.0.1:${port}`, owner.accessToken);
      const { id } = await tus.upload(randomBytes(100), { filename: 'secret.bin' });
      link = (await mustCall(app, 'files.link', { id }, owner.accessToken)).url;
    });

    it('refuses a link whose expiry, user or file was edited', async () => {
      expect((await app.http.inject(link)).statusCode).toBe(200);
      const url = new URL(link, 'http://x');
      const edits: Array<(u: URL) => void> = [
        (u) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 86_400_000)),
        (u) => u.searchParams.set('u', 'someone-else'),
        (u) => u.searchParams.set('d', u.searchParams.get('d') === 'inline' ? 'attachment' : 'inline'),
        (u) => (u.pathname = u.pathname.replace(/files\/[^/]+/, 'files/01JD3Q8Z5K7M9N2P4R6T8V0X1Y')),
        (u) => u.searchParams.delete('sig'),
      ];
      for (const edit of edits) {
        const forged = new URL(url);
        edit(forged);
        const res = await app.http.inject(forged.pathname + forged.search);
        expect(res.statusCode, forged.search).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'LINK_INVALID' } });
      }
    });

    it('refuses a link replayed after its session logged out', async () => {
      const device = await loginUser(app, owner.phone, owner.password);
      const tus = new TusTestClient(`http://127.0.0.1:${port}`, device.accessToken);
      const { id } = await tus.upload(randomBytes(100), { filename: 'after-logout.bin' });
      const mine = (await mustCall(app, 'files.link', { id }, device.accessToken)).url;
      expect((await app.http.inject(mine)).statusCode).toBe(200);
      await mustCall(app, 'auth.logout', {}, device.accessToken);
      const res = await app.http.inject(mine);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'LINK_INVALID' } });
      // The owner's other session and its links are unaffected.
      expect((await app.http.inject(link)).statusCode).toBe(200);
    });

    it('refuses a link replayed after it expired', async () => {
      // linkTtlSeconds is 10 here (its minimum); the link's clock is the real one.
      await new Promise((r) => setTimeout(r, 10_500));
      const res = await app.http.inject(link);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'LINK_INVALID' } });
    }, 20_000);
  });

  describe('forged JWTs', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await registerUser(app);
    });

    it('refuses alg=none, with and without a signature', async () => {
      const [, payload] = user.accessToken.split('.');
      for (const alg of ['none', 'None', 'NONE']) {
        const header = b64url({ alg, typ: 'JWT' });
        expect(await status(app, `${header}.${payload}.`)).toEqual({ status: 401, code: 'TOKEN_INVALID' });
        const sig = user.accessToken.split('.')[2];
        expect(await status(app, `${header}.${payload}.${sig}`)).toEqual({
          status: 401,
          code: 'TOKEN_INVALID',
        });
      }
    });

    it('refuses a token signed with another key, or with our key under another algorithm name', async () => {
      const claims = { sid: user.sessionId, role: 'admin' };
      const wrongKey = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.userId)
        .setAudience('zhixin:access')
        .setExpirationTime('5m')
        .sign(randomBytes(32));
      expect(await status(app, wrongKey)).toEqual({ status: 401, code: 'TOKEN_INVALID' });
      const hs512 = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS512' })
        .setSubject(user.userId)
        .setAudience('zhixin:access')
        .setExpirationTime('5m')
        .sign(randomBytes(64));
      expect(await status(app, hs512)).toEqual({ status: 401, code: 'TOKEN_INVALID' });
    });

    it('refuses a real token whose payload was edited (role raised to admin)', async () => {
      const [header, payload, sig] = user.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
      const raised = b64url({ ...claims, role: 'admin' });
      expect(await status(app, `${header}.${raised}.${sig}`)).toEqual({ status: 401, code: 'TOKEN_INVALID' });
      const admin = await callOp(app, 'admin.users.list', {}, `${header}.${raised}.${sig}`);
      expect(admin.status).toBe(401);
    });

    it('refuses an expired token, then a refresh brings a working one', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 16 * 60_000 });
      expect(await status(app, user.accessToken)).toEqual({ status: 401, code: 'TOKEN_EXPIRED' });
      vi.useRealTimers();
      expect(await status(app, user.accessToken)).toEqual(OK);
    });

    it('refuses garbage in the Authorization header with a typed error', async () => {
      for (const token of ['', 'a.b', 'a.b.c', '...', 'Bearer x', '😀.😀.😀', 'x'.repeat(10_000)]) {
        const res = await app.http.inject({
          url: '/api/v1/users/me',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.statusCode, token.slice(0, 20)).toBe(401);
        expect(['TOKEN_INVALID', 'UNAUTHENTICATED']).toContain(res.json().error.code);
      }
    });
  });
});
