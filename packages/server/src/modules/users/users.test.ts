import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  adminUser,
  callOp,
  errorOf,
  mustCall,
  randomPhone,
  registerUser,
  type TestUser,
} from '../../testing/factories.ts';
import { normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it('adds +86 to mainland mobile numbers and keeps other E.164 numbers', () => {
    expect(normalizePhone('13800138000')).toBe('+8613800138000');
    expect(normalizePhone('+8613800138000')).toBe('+8613800138000');
    expect(normalizePhone('138 0013-8000')).toBe('+8613800138000');
    expect(normalizePhone('+85261234567')).toBe('+85261234567');
  });

  it('refuses what is not a phone number', () => {
    for (const bad of ['', '12800138000', '+86123', '+8612800138000', '0013800138000', 'abc']) {
      expect(() => normalizePhone(bad)).toThrow(AppError);
    }
  });
});

describe.each(testDialects())('profiles (%s)', (dialect) => {
  let app: App;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    alice = await registerUser(app, { nickname: 'Alice' });
    bob = await registerUser(app, { nickname: '鲍勃' });
  });
  afterAll(() => app.close());

  it('shows me my own profile with my phone', async () => {
    const me = await mustCall(app, 'users.me', {}, alice.accessToken);
    expect(me).toEqual({
      id: alice.userId,
      phone: alice.phone,
      nickname: 'Alice',
      avatarFileId: null,
      signature: '',
      account: null,
      role: 'user',
      createdAt: expect.any(Number),
    });
  });

  it('edits nickname, avatar and signature, each on its own', async () => {
    const user = await registerUser(app, { nickname: 'before' });
    let me = await mustCall(app, 'users.updateMe', { signature: '好好学习，天天向上' }, user.accessToken);
    expect(me).toMatchObject({ nickname: 'before', signature: '好好学习，天天向上', avatarFileId: null });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]).toString('base64');
    const avatar = await mustCall(
      app,
      'images.upload',
      { mime: 'image/png', dataBase64: png },
      user.accessToken,
    );
    me = await mustCall(
      app,
      'users.updateMe',
      { nickname: 'after', avatarFileId: avatar.id },
      user.accessToken,
    );
    expect(me).toMatchObject({
      nickname: 'after',
      signature: '好好学习，天天向上',
      avatarFileId: avatar.id,
    });
    me = await mustCall(app, 'users.updateMe', { avatarFileId: null }, user.accessToken);
    expect(me.avatarFileId).toBeNull();
    expect(await mustCall(app, 'users.me', {}, user.accessToken)).toEqual(me);
  });

  it('refuses invalid edits with VALIDATION_FAILED and changes nothing', async () => {
    const user = await registerUser(app, { nickname: 'steady' });
    const before = await mustCall(app, 'users.me', {}, user.accessToken);
    const bad: Array<Record<string, unknown>> = [
      {},
      { nickname: '' },
      { nickname: '  ' },
      { nickname: 'x'.repeat(33) },
      { signature: 'x'.repeat(121) },
      { avatarFileId: 'bad id!' },
      { nickname: 42 },
    ];
    for (const body of bad) {
      expect(errorOf(await callOp(app, 'users.updateMe', body, user.accessToken))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await mustCall(app, 'users.me', {}, user.accessToken)).toEqual(before);
  });

  it('returns public profiles (no phone) for comma-separated ids, skipping unknown ones', async () => {
    const { users } = await mustCall(
      app,
      'users.profiles',
      { ids: `${alice.userId},${bob.userId},NOPE,${bob.userId}` },
      alice.accessToken,
    );
    expect(users.sort((a, b) => a.nickname.localeCompare(b.nickname))).toEqual([
      { id: alice.userId, nickname: 'Alice', avatarFileId: null, signature: '', account: null },
      { id: bob.userId, nickname: '鲍勃', avatarFileId: null, signature: '', account: null },
    ]);
  });

  it('refuses more than 200 ids or malformed ones', async () => {
    const many = Array.from({ length: 201 }, (_, i) => `id${i}`).join(',');
    expect(errorOf(await callOp(app, 'users.profiles', { ids: many }, alice.accessToken))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect(errorOf(await callOp(app, 'users.profiles', { ids: 'a,b c' }, alice.accessToken))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(errorOf(await callOp(app, 'users.profiles', { ids: ',,' }, alice.accessToken))).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const exactly200 = [alice.userId, ...Array.from({ length: 199 }, (_, i) => `id${i}`)].join(',');
    expect(
      (await mustCall(app, 'users.profiles', { ids: exactly200 }, alice.accessToken)).users,
    ).toHaveLength(1);
  });

  it('lets administrators find a user by phone, with or without +86, and answers NOT_FOUND otherwise', async () => {
    const admin = await adminUser(app);
    // Users search with friends.search, which honours privacy; the raw lookup is for administrators.
    expect(
      errorOf(await callOp(app, 'users.lookupByPhone', { phone: bob.phone }, alice.accessToken)),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await mustCall(app, 'users.lookupByPhone', { phone: bob.phone }, admin.accessToken)).toEqual({
      id: bob.userId,
      nickname: '鲍勃',
      avatarFileId: null,
      signature: '',
      account: null,
    });
    expect(
      (await mustCall(app, 'users.lookupByPhone', { phone: bob.phone.slice(3) }, admin.accessToken)).id,
    ).toBe(bob.userId);
    expect(
      errorOf(await callOp(app, 'users.lookupByPhone', { phone: randomPhone() }, admin.accessToken)),
    ).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(
      errorOf(await callOp(app, 'users.lookupByPhone', { phone: 'abc' }, admin.accessToken)),
    ).toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('hides disabled users from lookups and from existing(), but keeps their public profile', async () => {
    const admin = await adminUser(app);
    const gone = await registerUser(app, { nickname: 'gone' });
    expect(await app.services.users.existing([alice.userId, gone.userId, 'NOPE'])).toEqual(
      new Set([alice.userId, gone.userId]),
    );
    await app.services.auth.setUserDisabled(gone.userId, true);
    expect(await app.services.users.existing([alice.userId, gone.userId])).toEqual(new Set([alice.userId]));
    expect(
      errorOf(await callOp(app, 'users.lookupByPhone', { phone: gone.phone }, admin.accessToken)),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
    const { users } = await mustCall(app, 'users.profiles', { ids: gone.userId }, alice.accessToken);
    expect(users.map((u) => u.nickname)).toEqual(['gone']);
  });

  it('requires a valid access token for every user route', async () => {
    const calls = [
      callOp(app, 'users.me', {}),
      callOp(app, 'users.updateMe', { nickname: 'x' }),
      callOp(app, 'users.profiles', { ids: alice.userId }),
      callOp(app, 'users.lookupByPhone', { phone: alice.phone }),
    ];
    for (const res of await Promise.all(calls))
      expect(errorOf(res)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(errorOf(await callOp(app, 'users.me', {}, 'garbage'))).toEqual({
      status: 401,
      code: 'TOKEN_INVALID',
    });
  });
});
