import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { createLogger } from '../../platform/logger.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { loginUser, mustCall } from '../../testing/factories.ts';
import { ensureFirstAdmin } from './index.ts';

const log = createLogger('silent');

describe.each(testDialects())('the first administrator (%s)', (dialect) => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ dialect });
  });
  afterAll(() => app.close());

  it('is created once, on ZX_ADMIN_PHONE, with a generated password printed once', async () => {
    const printed: string[] = [];
    const print = (text: string) => printed.push(text);
    const env = { ZX_ADMIN_PHONE: '13911112222' };
    const result = await ensureFirstAdmin(app.services, log, { env, print });
    expect(result).toMatchObject({ created: true, phone: '+8613911112222' });
    expect(printed).toHaveLength(1);
    const password = /password: (\S+)/.exec(printed[0]!)?.[1];
    expect(password).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(16);

    const admin = await loginUser(app, '+8613911112222', password!);
    expect(await mustCall(app, 'users.me', {}, admin.accessToken)).toMatchObject({
      role: 'admin',
      nickname: '管理员',
    });

    expect(await ensureFirstAdmin(app.services, log, { env, print })).toEqual({ created: false });
    expect(printed).toHaveLength(1);
  });

  it('uses +8613800000000 when ZX_ADMIN_PHONE is not set', async () => {
    const fresh = await buildTestApp({ dialect });
    try {
      const result = await ensureFirstAdmin(fresh.services, log, { env: {}, print: () => {} });
      expect(result).toMatchObject({ created: true, phone: '+8613800000000' });
    } finally {
      await fresh.close();
    }
  });
});
