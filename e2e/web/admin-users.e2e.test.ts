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
  staffUser,
  type TestUser,
} from '../../packages/server/src/testing/factories.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { PageDiagnostics } from './diagnostics.ts';
import { loginThroughUi, UI_TIMEOUT } from './ui.ts';

/** Where to write screenshots of the console pages (unset: none). */
const SHOTS = process.env.ZX_ADMIN_USERS_SHOTS;

/**
 * The console's user, group and license pages for an administrator: search a user, reset the
 * password (the one-time password is shown once), disable by typing the nickname; dissolve a group by
 * typing its name; the license gauge, and a screening preview applied to the matched user. Then each
 * role (administrator, operator, auditor) sees only its pages, and a plain user none.
 */
describe.skipIf(browserUnavailable)('web client: user and group administration, license', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: TestUser;
  let target: TestUser;
  let groupId: string;

  const shot = async (name: string, on: Page = page) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
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
    // A fresh CI run once saw the row stay 15 s after the confirm: print what the page said then.
    const diagnostics = new PageDiagnostics(page);
    await page.getByTestId('admin-screening-apply').click();
    await page.getByTestId('admin-screening-confirm-input').fill('1');
    await page.getByTestId('admin-screening-confirm-ok').click();
    await diagnostics.step('the screening apply', () =>
      expect.poll(() => page.getByTestId('admin-screening-row').count()).toBe(0),
    );
    const detail = await mustCall(
      server.app,
      'admin.users.get',
      { userId: target.userId },
      admin.accessToken,
    );
    expect(detail.user.status).toBe('deactivated');
    await shot('license-after-apply');
  });

  it.each(['admin', 'operator', 'auditor'] as const)(
    'shows the %s only the pages of its role and sends it away from the others',
    async (role) => {
      const who = role === 'admin' ? admin : await staffUser(server.app, role);
      await server.app.services.stats.flush();
      const own = await newContext(browser, server, 'desktop');
      own.setDefaultTimeout(UI_TIMEOUT);
      try {
        const p = await own.newPage();
        await p.setViewportSize({ width: 1440, height: 900 });
        await loginThroughUi(p, who);
        await p.goto('/admin');
        await p.getByTestId('admin-console').waitFor();
        const first = MENUS[role][0] ?? '';
        await p.waitForURL(`**/admin/${first}`);
        const menu = await p
          .locator('[data-testid^="admin-menu-"]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')?.slice('admin-menu-'.length)));
        expect(menu).toEqual(MENUS[role]);
        for (const [path, testId] of ROLE_PAGES) {
          await p.goto(`/admin/${path}`);
          if (MENUS[role].includes(path)) {
            await p.getByTestId(testId).waitFor();
            await p.waitForLoadState('networkidle');
            await pageShowsItsContent(p, path);
            await shot(`role-${role}-${path}`, p);
          } else {
            await p.waitForURL(`**/admin/${first}`);
            expect(await p.getByTestId(testId).count(), `${role} on /admin/${path}`).toBe(0);
          }
        }
      } finally {
        await own.close();
      }
    },
  );

  it('refuses the console to a plain user', async () => {
    const plain = await registerUser(server.app, { nickname: '普通用户' });
    const own = await newContext(browser, server, 'desktop');
    own.setDefaultTimeout(UI_TIMEOUT);
    try {
      const p = await own.newPage();
      await loginThroughUi(p, plain);
      await p.goto('/admin/users');
      await p.getByText('无权访问').waitFor();
      expect(await p.getByTestId('admin-console').count()).toBe(0);
      expect(await p.getByTestId('admin-users').count()).toBe(0);
      await shot('role-user-forbidden', p);
    } finally {
      await own.close();
    }
  });
});

/** The console's menu for each role, in order (features/admin/pages.ts filtered by the role). */
const MENUS: Record<'admin' | 'operator' | 'auditor', string[]> = {
  admin: [
    'dashboard',
    'users',
    'all-groups',
    'license',
    'directory',
    'broadcast',
    'feedback',
    'groups',
    'files',
    'evidence',
    'moments',
    'settings',
    'exports',
    'api',
  ],
  operator: ['dashboard', 'users', 'all-groups', 'license', 'files', 'moments', 'settings', 'exports', 'api'],
  auditor: ['evidence'],
};

/** The pages each role is tried on: path under /admin and the page's test id. */
const ROLE_PAGES: Array<[string, string]> = [
  ['dashboard', 'admin-dashboard'],
  ['users', 'admin-users'],
  ['license', 'admin-license'],
  ['evidence', 'admin-evidence'],
  ['api', 'admin-api'],
];

/** What a page shows once loaded, here where nobody sent a message and a few of 85,000 seats are used. */
async function pageShowsItsContent(p: Page, path: string): Promise<void> {
  if (path === 'dashboard') {
    // Regression: a chart whose values were all zero was a blank card (its Empty was wiped).
    await p.getByTestId('stats-chart-messages-empty').getByText('该时间段暂无数据').waitFor();
    await p.getByTestId('stats-chart-users-canvas').locator('canvas').waitFor();
  } else if (path === 'license') {
    // Regression: 5 of 85,000 seats read "0%", as if none were used.
    await expect.poll(() => p.getByTestId('admin-license-percent').textContent()).toBe('<0.1%');
  } else if (path === 'users') {
    await expect.poll(() => p.getByTestId('admin-users-row').count()).toBeGreaterThanOrEqual(4);
  }
}
