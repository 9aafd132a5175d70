import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { codeSignerFor } from '../../platform/crypto/signed-codes.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, type TestDevice } from '../../testing/devices.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';

const DAY_MS = 24 * 3_600_000;

describe.each(testDialects())('security codes (%s)', (dialect) => {
  let app: App;
  let port: number;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let bobDesk: TestDevice;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    alice = await registerUser(app, { nickname: 'Alice' });
    bob = await registerUser(app, { nickname: '鲍勃' });
    carol = await registerUser(app, { nickname: 'Carol' });
    bobDesk = await connectDevice(port, bob);
  });
  afterAll(async () => {
    bobDesk.ws.close();
    await app.close();
  });

  const resolve = (code: string, user: TestUser) => callOp(app, 'codes.resolve', { code }, user.accessToken);

  it('issues my code once, valid for the default 30 days, and resolves it to my public profile', async () => {
    const before = Date.now();
    const mine = await mustCall(app, 'codes.mine', {}, alice.accessToken);
    expect(mine.code).toMatch(/^ZX1\.u\./);
    expect(mine.validityDays).toBe(30);
    expect(mine.expiresAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(await mustCall(app, 'codes.mine', {}, alice.accessToken)).toEqual(mine);
    expect(await mustCall(app, 'codes.resolve', { code: mine.code }, bob.accessToken)).toMatchObject({
      kind: 'user',
      profile: { id: alice.userId, nickname: 'Alice', avatarFileId: null, signature: '' },
    });
  });

  it('refreshes my code: the old one stops working, the new one works, and I may choose no expiry', async () => {
    const old = await mustCall(app, 'codes.mine', {}, alice.accessToken);
    const fresh = await mustCall(app, 'codes.refreshMine', { validityDays: 0 }, alice.accessToken);
    expect(fresh.code).not.toBe(old.code);
    expect(fresh).toMatchObject({ expiresAt: null, validityDays: 0 });
    expect(errorOf(await resolve(old.code, bob))).toEqual({ status: 400, code: 'CODE_INVALID' });
    expect((await resolve(fresh.code, bob)).body).toMatchObject({ kind: 'user' });
    expect(await mustCall(app, 'codes.mine', {}, alice.accessToken)).toEqual(fresh);
    const seven = await mustCall(app, 'codes.refreshMine', { validityDays: 7 }, alice.accessToken);
    expect(seven.validityDays).toBe(7);
    expect(seven.expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
    // Refreshing without a choice keeps the one made before.
    expect((await mustCall(app, 'codes.refreshMine', {}, alice.accessToken)).validityDays).toBe(7);
  });

  it('refuses forged, altered, expired and foreign codes, and malformed bodies', async () => {
    const mine = await mustCall(app, 'codes.mine', {}, alice.accessToken);
    const [p, k, payload, mac] = mine.code.split('.') as [string, string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const altered = Buffer.from(JSON.stringify({ ...claims, s: bob.userId })).toString('base64url');
    const signer = codeSignerFor(app.platform.keyring);
    const version = claims['v'] as number;
    const expired = signer.sign({ kind: 'u', subject: alice.userId, version, expiresAt: Date.now() - 1 });
    const cases: Array<[unknown, string]> = [
      [`${p}.${k}.${altered}.${mac}`, 'CODE_INVALID'],
      [`${p}.${k}.${payload}.${'A'.repeat(mac.length)}`, 'CODE_INVALID'],
      ['ZX1.u.e30.abc', 'CODE_INVALID'],
      ['https://example.com/not-ours', 'CODE_INVALID'],
      [expired, 'CODE_EXPIRED'],
      [
        signer.sign({ kind: 'u', subject: 'NOBODY000000000000000000', version: 1, expiresAt: null }),
        'CODE_INVALID',
      ],
      ['', 'VALIDATION_FAILED'],
      ['x'.repeat(2049), 'VALIDATION_FAILED'],
      [42, 'VALIDATION_FAILED'],
    ];
    for (const [code, expected] of cases) {
      expect(errorOf(await callOp(app, 'codes.resolve', { code }, bob.accessToken)).code, String(code)).toBe(
        expected,
      );
    }
    expect(
      errorOf(await callOp(app, 'codes.refreshMine', { validityDays: -1 }, alice.accessToken)).code,
    ).toBe('VALIDATION_FAILED');
    expect(errorOf(await callOp(app, 'codes.mine', {})).code).toBe('UNAUTHENTICATED');
    // Nothing changed: my code still resolves.
    expect((await resolve(mine.code, bob)).body).toMatchObject({ kind: 'user' });
  });

  it('says NOT_FOUND for the code of a user who has been disabled', async () => {
    const gone = await registerUser(app);
    const code = (await mustCall(app, 'codes.mine', {}, gone.accessToken)).code;
    await app.services.auth.setUserDisabled(gone.userId, true);
    expect(errorOf(await resolve(code, bob))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('resolves a group code to its conversation (joining is the groups module’s)', async () => {
    const group = await mustCall(
      app,
      'groups.create',
      { title: '项目组', memberIds: [bob.userId] },
      alice.accessToken,
    );
    const code = codeSignerFor(app.platform.keyring).sign({
      kind: 'g',
      subject: group.id,
      version: 1,
      expiresAt: null,
    });
    expect((await resolve(code, carol)).body).toEqual({ kind: 'group', conversationId: group.id });
  });

  it('creates a transfer code to a user that opens a chat with a prepared message', async () => {
    const t = await mustCall(
      app,
      'codes.createTransfer',
      { targetUserId: alice.userId, message: '您好，我想咨询报销流程', expiresInMs: 3_600_000 },
      alice.accessToken,
    );
    expect(t.code).toMatch(/^ZX1\.t\./);
    expect(t.expiresAt).toBeGreaterThan(Date.now());
    expect((await resolve(t.code, carol)).body).toEqual({
      kind: 'transfer',
      target: { kind: 'user', profile: expect.objectContaining({ id: alice.userId, nickname: 'Alice' }) },
      message: '您好，我想咨询报销流程',
    });
    // The prepared message is sealed at rest.
    const rows = await app.platform.db.selectFrom('transfer_codes').select('message_enc').execute();
    for (const r of rows) expect(r.message_enc).not.toContain('报销');
  });

  it('creates a transfer code to a group for its members only', async () => {
    const group = await mustCall(
      app,
      'groups.create',
      { title: '值班群', memberIds: [bob.userId] },
      alice.accessToken,
    );
    const t = await mustCall(
      app,
      'codes.createTransfer',
      { conversationId: group.id, message: '今日值班：' },
      bob.accessToken,
    );
    expect(t.expiresAt).toBeNull();
    expect((await resolve(t.code, alice)).body).toEqual({
      kind: 'transfer',
      target: { kind: 'conversation', conversationId: group.id, title: '值班群' },
      message: '今日值班：',
    });
    expect(errorOf(await resolve(t.code, carol))).toEqual({ status: 403, code: 'NOT_MEMBER' });
  });

  it('refuses bad transfer requests and stores nothing', async () => {
    const group = await mustCall(
      app,
      'groups.create',
      { title: 'closed', memberIds: [bob.userId] },
      alice.accessToken,
    );
    const count = async () =>
      (await app.platform.db.selectFrom('transfer_codes').select('id').execute()).length;
    const before = await count();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ message: 'no target' }, 'VALIDATION_FAILED'],
      [{ targetUserId: bob.userId, conversationId: group.id, message: 'both' }, 'VALIDATION_FAILED'],
      [{ targetUserId: bob.userId, message: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
      [{ targetUserId: bob.userId, message: 'hi', expiresInMs: 10 }, 'VALIDATION_FAILED'],
      [{ targetUserId: bob.userId, message: 'hi', extra: true }, 'VALIDATION_FAILED'],
      [{ targetUserId: 'NOBODY000000000000000000', message: 'hi' }, 'NOT_FOUND'],
      [{ conversationId: group.id, message: 'not mine' }, 'NOT_MEMBER'],
      [{ conversationId: 'NOCONV000000000000000000', message: 'hi' }, 'NOT_FOUND'],
    ];
    for (const [body, code] of cases) {
      expect(
        errorOf(await callOp(app, 'codes.createTransfer', body, carol.accessToken)).code,
        JSON.stringify(body).slice(0, 80),
      ).toBe(code);
    }
    expect(await count()).toBe(before);
  });

  it('works over the WebSocket', async () => {
    const mine = await bobDesk.request('codes.mine', {});
    expect(mine).toMatchObject({ ok: true, body: { code: expect.stringMatching(/^ZX1\.u\./) } });
    const code = (mine.body as { code: string }).code;
    expect(await bobDesk.request('codes.resolve', { code })).toMatchObject({
      ok: true,
      body: { kind: 'user', profile: { id: bob.userId } },
    });
    expect(await bobDesk.request('codes.resolve', { code: code.slice(0, -2) })).toMatchObject({
      ok: false,
      error: { code: 'CODE_INVALID' },
    });
  });
});
