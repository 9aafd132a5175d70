import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { callOp, errorOf, loginUser, mustCall, registerUser } from '../../testing/factories.ts';
import { REVOKED_SUBJECT } from './index.ts';

function travel(ms: number): void {
  const now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'], now: now + ms });
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each(testDialects())('sessions and tokens (%s)', (dialect) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { auth: { accessTtlSeconds: 60, refreshTtlDays: 2 } } });
  });
  afterAll(() => app.close());

  it('rotates the refresh token on every refresh and keeps the session', async () => {
    const user = await registerUser(app);
    const first = await mustCall(app, 'auth.refresh', { refreshToken: user.refreshToken });
    expect(first.sessionId).toBe(user.sessionId);
    expect(first.tokens.refreshToken).not.toBe(user.refreshToken);
    const second = await mustCall(app, 'auth.refresh', { refreshToken: first.tokens.refreshToken });
    expect(second.tokens.refreshToken).not.toBe(first.tokens.refreshToken);
    expect((await callOp(app, 'users.me', {}, second.tokens.accessToken)).status).toBe(200);
  });

  it('treats a rotated refresh token presented again as theft and ends the session', async () => {
    const user = await registerUser(app);
    const rotated = await mustCall(app, 'auth.refresh', { refreshToken: user.refreshToken });
    const replay = await callOp(app, 'auth.refresh', { refreshToken: user.refreshToken });
    expect(errorOf(replay)).toEqual({ status: 401, code: 'SESSION_REVOKED' });
    // The legitimate holder is logged out too: nobody can tell which of the two is the thief.
    expect(
      errorOf(await callOp(app, 'auth.refresh', { refreshToken: rotated.tokens.refreshToken })),
    ).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    expect(errorOf(await callOp(app, 'users.me', {}, rotated.tokens.accessToken))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
  });

  it('answers TOKEN_INVALID for an unknown refresh token and TOKEN_EXPIRED after refreshTtlDays', async () => {
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: 'x'.repeat(43) }))).toEqual({
      status: 401,
      code: 'TOKEN_INVALID',
    });
    const user = await registerUser(app);
    travel(2 * 86_400_000 + 1000);
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: user.refreshToken }))).toEqual({
      status: 401,
      code: 'TOKEN_EXPIRED',
    });
  });

  it('refuses user routes without a token, with an expired one, and with a forged one', async () => {
    const user = await registerUser(app);
    expect(errorOf(await callOp(app, 'users.me', {}))).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(errorOf(await callOp(app, 'users.me', {}, 'not.a.jwt'))).toEqual({
      status: 401,
      code: 'TOKEN_INVALID',
    });
    const forged = await new SignJWT({ sid: user.sessionId, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.userId)
      .setAudience('zhixin:access')
      .setExpirationTime('5m')
      .sign(new Uint8Array(32).fill(7));
    expect(errorOf(await callOp(app, 'users.me', {}, forged))).toEqual({
      status: 401,
      code: 'TOKEN_INVALID',
    });
    travel(61_000);
    expect(errorOf(await callOp(app, 'users.me', {}, user.accessToken))).toEqual({
      status: 401,
      code: 'TOKEN_EXPIRED',
    });
    // A refresh brings a working token back.
    const fresh = await mustCall(app, 'auth.refresh', { refreshToken: user.refreshToken });
    expect((await callOp(app, 'users.me', {}, fresh.tokens.accessToken)).status).toBe(200);
  });

  it('logs this device out: its access and refresh tokens stop working', async () => {
    const user = await registerUser(app);
    const other = await loginUser(app, user.phone, user.password);
    await mustCall(app, 'auth.logout', {}, user.accessToken);
    expect(errorOf(await callOp(app, 'users.me', {}, user.accessToken))).toEqual({
      status: 401,
      code: 'SESSION_REVOKED',
    });
    expect(errorOf(await callOp(app, 'auth.refresh', { refreshToken: user.refreshToken }))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    expect((await callOp(app, 'users.me', {}, other.accessToken)).status).toBe(200);
  });

  it('lists my devices with the current one flagged', async () => {
    const user = await registerUser(app, { deviceId: 'phone-device-1' });
    await loginUser(app, user.phone, user.password, 'laptop-device-1');
    const { devices } = await mustCall(app, 'auth.devices', {}, user.accessToken);
    expect(devices.map((d) => [d.deviceId, d.current])).toEqual([
      ['phone-device-1', true],
      ['laptop-device-1', false],
    ]);
    expect(devices[0]).toMatchObject({ sessionId: user.sessionId, name: 'test device', platform: 'web' });
  });

  it('keeps one live session per device: logging in again from it ends the previous one', async () => {
    const user = await registerUser(app, { deviceId: 'same-device-1' });
    const again = await loginUser(app, user.phone, user.password, 'same-device-1');
    expect(errorOf(await callOp(app, 'users.me', {}, user.accessToken))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    const { devices } = await mustCall(app, 'auth.devices', {}, again.accessToken);
    expect(devices.map((d) => d.sessionId)).toEqual([again.sessionId]);
  });

  it('revokes one of my devices, tells its socket, and refuses other users’ sessions with NOT_FOUND', async () => {
    const user = await registerUser(app);
    const laptop = await loginUser(app, user.phone, user.password);
    const stranger = await registerUser(app);
    const emit = vi.spyOn(app.gateway.events, 'emit');
    try {
      expect(
        errorOf(await callOp(app, 'auth.revokeDevice', { sessionId: stranger.sessionId }, user.accessToken)),
      ).toEqual({
        status: 404,
        code: 'NOT_FOUND',
      });
      await mustCall(app, 'auth.revokeDevice', { sessionId: laptop.sessionId }, user.accessToken);
      expect(emit).toHaveBeenCalledWith([user.userId], 'session.revoked.v1', { sessionId: laptop.sessionId });
    } finally {
      emit.mockRestore();
    }
    expect(errorOf(await callOp(app, 'users.me', {}, laptop.accessToken))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
    expect((await callOp(app, 'users.me', {}, stranger.accessToken)).status).toBe(200);
    const { devices } = await mustCall(app, 'auth.devices', {}, user.accessToken);
    expect(devices.map((d) => d.sessionId)).toEqual([user.sessionId]);
    // Already ended: nothing left to revoke.
    expect(
      errorOf(await callOp(app, 'auth.revokeDevice', { sessionId: laptop.sessionId }, user.accessToken)),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('learns revocations made by other nodes from the broker', async () => {
    const user = await registerUser(app);
    app.platform.broker.publish(REVOKED_SUBJECT, { sessionId: user.sessionId, until: Date.now() + 120_000 });
    await app.platform.broker.flush();
    expect(errorOf(await callOp(app, 'users.me', {}, user.accessToken))).toMatchObject({
      code: 'SESSION_REVOKED',
    });
  });

  it('records the last activity time on refresh', async () => {
    const user = await registerUser(app);
    travel(7_000);
    const expected = Date.now();
    await mustCall(app, 'auth.refresh', { refreshToken: user.refreshToken });
    const row = await app.platform.db
      .selectFrom('users')
      .select('last_active_at')
      .where('id', '=', user.userId)
      .executeTakeFirstOrThrow();
    expect(row.last_active_at).toBe(expected);
  });
});

describe.each(testDialects())('a node that starts after a revocation (%s)', (dialect) => {
  it('loads recent revocations from the database and refuses their access tokens', async () => {
    const first = await buildTestApp({ dialect });
    const { dataDir, databaseUrl } = first.platform.config;
    let second: App | undefined;
    try {
      const user = await registerUser(first);
      const other = await loginUser(first, user.phone, user.password);
      await mustCall(first, 'auth.logout', {}, user.accessToken);
      second = await buildTestApp({ dialect, dataDir, databaseUrl });
      expect(errorOf(await callOp(second, 'users.me', {}, user.accessToken))).toMatchObject({
        code: 'SESSION_REVOKED',
      });
      expect((await callOp(second, 'users.me', {}, other.accessToken)).status).toBe(200);
    } finally {
      await second?.close();
      await first.close();
    }
  });
});
