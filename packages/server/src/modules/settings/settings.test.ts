import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type TestUser,
} from '../../testing/factories.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]).toString('base64');

describe.each(testDialects())('client settings (%s)', (dialect) => {
  let app: App;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect, config: { client: { welcome: { text: '欢迎来到测试环境' } } } });
    const phone = randomPhone();
    await app.services.auth.createAdmin({ phone, password: 'admin-password' });
    admin = await loginUser(app, phone, 'admin-password');
    user = await registerUser(app);
  });
  afterAll(() => app.close());

  const read = () => mustCall(app, 'settings.client', {});

  it('gives anyone, signed in or not, the defaults from the config', async () => {
    expect(await read()).toEqual({
      productName: '致信',
      launch: { enabled: true, imageId: null, text: '', durationMs: 0 },
      welcome: { enabled: true, imageId: null, title: '致信', text: '欢迎来到测试环境' },
      registrationOpen: true,
    });
    expect(await mustCall(app, 'settings.client', {}, user.accessToken)).toEqual(await read());
  });

  it('lets an administrator change some fields; the rest follow the config', async () => {
    const image = await mustCall(
      app,
      'images.upload',
      { mime: 'image/png', dataBase64: PNG },
      admin.accessToken,
    );
    const next = await mustCall(
      app,
      'settings.updateClient',
      { launch: { imageId: image.id, durationMs: 1500 } },
      admin.accessToken,
    );
    expect(next.launch).toEqual({ enabled: true, imageId: image.id, text: '', durationMs: 1500 });
    await mustCall(
      app,
      'settings.updateClient',
      { productName: '致信 测试', launch: { text: '启动中' } },
      admin.accessToken,
    );
    expect(await read()).toMatchObject({
      productName: '致信 测试',
      launch: { enabled: true, imageId: image.id, text: '启动中', durationMs: 1500 },
      welcome: { text: '欢迎来到测试环境' },
    });
    await mustCall(app, 'settings.updateClient', { launch: { imageId: null } }, admin.accessToken);
    expect((await read()).launch.imageId).toBeNull();
  });

  it('refuses unknown images, malformed patches and ordinary users, changing nothing', async () => {
    const before = await read();
    expect(
      errorOf(
        await callOp(
          app,
          'settings.updateClient',
          { productName: '别的', welcome: { imageId: '01J00000000000000000000000' } },
          admin.accessToken,
        ),
      ),
    ).toEqual({ status: 404, code: 'IMAGE_NOT_FOUND' });
    for (const body of [
      {},
      { productName: '' },
      { launch: { durationMs: 60_000 } },
      { registrationOpen: false },
      { welcome: { colour: 'red' } },
    ]) {
      expect(errorOf(await callOp(app, 'settings.updateClient', body, admin.accessToken))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(
      errorOf(await callOp(app, 'settings.updateClient', { productName: 'x' }, user.accessToken)),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    expect(await read()).toEqual(before);
  });
});

describe('closed registration', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ config: { auth: { registrationOpen: false } } });
  });
  afterAll(() => app.close());

  it('says so in the client settings and refuses codes and registrations with REGISTRATION_CLOSED', async () => {
    expect((await mustCall(app, 'settings.client', {})).registrationOpen).toBe(false);
    const phone = randomPhone();
    expect(errorOf(await callOp(app, 'auth.sendSmsCode', { phone, purpose: 'register' }))).toEqual({
      status: 403,
      code: 'REGISTRATION_CLOSED',
    });
    const res = await callOp(app, 'auth.register', {
      phone,
      code: '123456',
      password: 'long enough password',
      nickname: '新人',
      device: testDevice(),
    });
    expect(errorOf(res)).toEqual({ status: 403, code: 'REGISTRATION_CLOSED' });
    expect(await app.services.users.accountByPhone(phone)).toBeNull();
  });

  it('still lets existing users sign in and reset their password', async () => {
    const phone = randomPhone();
    await app.services.auth.createAdmin({ phone, password: 'admin-password' });
    expect((await loginUser(app, phone, 'admin-password')).userId).toBeTruthy();
    await mustCall(app, 'auth.sendSmsCode', { phone, purpose: 'reset_password' });
    expect(lastSmsCode(app, phone, 'reset_password')).toMatch(/^[0-9]{6}$/);
  });
});
