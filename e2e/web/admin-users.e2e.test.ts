import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPayload, publicKeyText, signLicense } from '../../packages/server/src/modules/license/index.ts';
import {
  adminUser,
  mustCall,
  registerUser,
  type TestUser,
} from '../../packages/server/src/testing/factories.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { loginThroughUi, UI_TIMEOUT } from './ui.ts';

/** Where to write screenshots of the console pages (unset: none). */
const SHOTS = process.env.ZX_ADMIN_USERS_SHOTS;

/**
 * The console's user, group and license pages for an administrator: search a user, reset the
 * password (the one-time password is shown once), disable by typing the nickname; dissolve a group by
 * typing its name; the license gauge, and a screening preview applied to the matched user.
 */
describe.skipIf(browserUnavailable)('web client: user and group administration, license', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: TestUser;
  let target: TestUser;
  let groupId: string;

  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  };

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    server = await startWebServer({
      config: { opsAccount: { enabled: false }, license: { publicKeys: [publicKeyText(publicKey)] } },
    });
    const { app } = server;
    admin = await adminUser(app);
    target = await registerUser(app, { nickname: '王小明' });
    const colleague = await registerUser(app, { nickname: '李华' });
    await registerUser(app, { nickname: '赵敏' });
    const dep = await mustCall(
      app,
      'directory.createDepartment',
      { parentId: null, name: '研发中心' },
      admin.accessToken,
    );
    await mustCall(
      app,
      'directory.setUserDepartments',
      { userId: target.userId, departments: [{ departmentId: dep.id, title: '工程师', primary: true }] },
      admin.accessToken,
    );
    const group = await mustCall(
      app,
      'groups.create',
      { title: '项目讨论组', memberIds: [colleague.userId] },
      target.accessToken,
    );
    groupId = group.id;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await mustCall(
      app,
      'license.install',
      { text: signLicense(pem, newPayload('示例单位', 85_000, 365)) },
      admin.accessToken,
    );
    browser = await launchBrowser();
    context = await newContext(browser, server, 'desktop');
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    await loginThroughUi(page, admin);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.app.close();
  });

  it('finds a user, resets the password once and disables the account after typing the nickname', async () => {
    await page.goto('/admin/users');
    await page.getByTestId('admin-users').waitFor();
    await expect.poll(() => page.getByTestId('admin-users-row').count()).toBeGreaterThanOrEqual(4);
    await shot('users-list');
    await page.getByTestId('admin-users-search').locator('input').fill('王小');
    await page.getByTestId('admin-users-search').locator('input').press('Enter');
    await expect.poll(() => page.getByTestId('admin-users-row').count()).toBe(1);
    await page.getByTestId('admin-users-row').first().click();
    await expect.poll(() => page.getByTestId('admin-user-nickname').textContent()).toBe('王小明');
    await shot('user-drawer');

    await page.getByTestId('admin-user-reset').click();
    await page.getByTestId('admin-reset-submit').click();
    const generated = page.getByTestId('admin-reset-generated');
    await generated.waitFor();
    expect((await generated.textContent())?.trim().length).toBeGreaterThanOrEqual(8);
    await shot('user-reset-password');
    await page.getByTestId('admin-reset-done').click();
    await generated.waitFor({ state: 'hidden' });
    await page.getByTestId('admin-user-nickname').waitFor();

    await page.getByTestId('admin-user-disable').click();
    const ok = page.getByTestId('admin-user-disable-confirm-ok');
    expect(await ok.isDisabled()).toBe(true);
    await page.getByTestId('admin-user-disable-confirm-input').fill('王小明');
    await shot('user-disable-confirm');
    await ok.click();
    // The server's state first (the request may be slow on a loaded machine), then the drawer's.
    await expect
      .poll(
        async () =>
          (await mustCall(server.app, 'admin.users.get', { userId: target.userId }, admin.accessToken)).user
            .status,
      )
      .toBe('disabled');
    await page.getByTestId('admin-user-enable').waitFor();
  });

  it('dissolves a group after typing its name', async () => {
    await page.goto('/admin/all-groups');
    await page.getByTestId('admin-all-groups').waitFor();
    await expect.poll(() => page.getByTestId('admin-all-groups-row').count()).toBe(1);
    await shot('groups-list');
    await page.getByTestId('admin-all-groups-dissolve').click();
    await page.getByTestId('admin-all-groups-dissolve-confirm-input').fill('项目讨论组');
    await page.getByTestId('admin-all-groups-dissolve-confirm-ok').click();
    await expect.poll(() => page.getByTestId('admin-all-groups-dissolve').count()).toBe(0);
    const groups = await mustCall(
      server.app,
      'admin.groups.list',
      { status: 'dissolved' },
      admin.accessToken,
    );
    expect(groups.groups.map((g) => g.conversationId)).toEqual([groupId]);
  });

  it('shows the license and deactivates the users a screening preview found', async () => {
    await page.goto('/admin/license');
    await expect.poll(() => page.getByTestId('admin-license-state').textContent()).toBe('有效');
    await expect
      .poll(() => page.getByTestId('admin-license-usage').textContent())
      .toMatch(/^已用 \d+ \/ 许可 85,000$/);
    await shot('license-top');
    await page.getByTestId('admin-screening-preview').click();
    await expect.poll(() => page.getByTestId('admin-screening-row').count()).toBe(1);
    expect(await page.getByTestId('admin-screening-row').textContent()).toBe('王小明');
    await shot('license-screening');
    await page.getByTestId('admin-screening-apply').click();
    await page.getByTestId('admin-screening-confirm-input').fill('1');
    await page.getByTestId('admin-screening-confirm-ok').click();
    await expect.poll(() => page.getByTestId('admin-screening-row').count()).toBe(0);
    const detail = await mustCall(
      server.app,
      'admin.users.get',
      { userId: target.userId },
      admin.accessToken,
    );
    expect(detail.user.status).toBe('deactivated');
    await shot('license-after-apply');
  });
});
