import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { settle, userWithTwoDevices, type TestDevice } from '../../testing/devices.ts';
import { callOp, errorOf, mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { DEFAULT_PREFERENCES } from './index.ts';

describe.each(testDialects())('preferences (%s)', (dialect) => {
  let app: App;
  let alice: TestUser;
  let aliceDesk: TestDevice;
  let bob: TestUser;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    const port = await app.listen();
    ({ first: alice, second: aliceDesk } = await userWithTwoDevices(app, port));
    bob = await registerUser(app);
  });
  afterAll(async () => {
    aliceDesk.ws.close();
    await app.close();
  });

  const prefs = (user: TestUser) => mustCall(app, 'users.preferences', {}, user.accessToken);

  it('starts from the defaults: standard size, Chinese, every notification on', async () => {
    expect(await prefs(alice)).toEqual({
      fontSize: 'standard',
      language: 'zh-CN',
      notifications: { enabled: true, sound: true, showPreview: true },
    });
    expect(DEFAULT_PREFERENCES.language).toBe('zh-CN');
  });

  it('merges a patch, keeping what it does not name, and tells my other devices', async () => {
    const next = await mustCall(app, 'users.updatePreferences', { fontSize: 'xlarge' }, alice.accessToken);
    expect(next).toEqual({ ...DEFAULT_PREFERENCES, fontSize: 'xlarge' });
    expect(await aliceDesk.nextEvent('preferences.updated.v1')).toEqual(next);
    const quiet = await mustCall(
      app,
      'users.updatePreferences',
      { language: 'en', notifications: { sound: false } },
      alice.accessToken,
    );
    expect(quiet).toEqual({
      fontSize: 'xlarge',
      language: 'en',
      notifications: { enabled: true, sound: false, showPreview: true },
    });
    expect(await aliceDesk.nextEvent('preferences.updated.v1')).toEqual(quiet);
    expect(await prefs(alice)).toEqual(quiet);
  });

  it('refuses malformed patches and changes nothing', async () => {
    const before = await prefs(alice);
    const mark = aliceDesk.ws.frames.length;
    const bad: Array<Record<string, unknown>> = [
      {},
      { fontSize: 'huge' },
      { language: 'fr' },
      { theme: 'dark' },
      { notifications: { loud: true } },
      { notifications: { sound: 'yes' } },
    ];
    for (const body of bad) {
      expect(errorOf(await callOp(app, 'users.updatePreferences', body, alice.accessToken))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await prefs(alice)).toEqual(before);
    await settle();
    expect(aliceDesk.ws.frames.slice(mark)).toEqual([]);
  });

  it('keeps each user their own preferences', async () => {
    expect(await prefs(bob)).toEqual(DEFAULT_PREFERENCES);
    await mustCall(app, 'users.updatePreferences', { fontSize: 'small' }, bob.accessToken);
    expect((await prefs(alice)).fontSize).toBe('xlarge');
    expect((await prefs(bob)).fontSize).toBe('small');
  });

  it('works over the WebSocket', async () => {
    const res = await aliceDesk.request('users.updatePreferences', { fontSize: 'large' });
    expect(res).toMatchObject({ ok: true, body: { fontSize: 'large', language: 'en' } });
    expect((await aliceDesk.request('users.preferences', {})).body).toEqual(await prefs(alice));
  });
});
