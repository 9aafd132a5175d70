import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { localPhone, loginThroughUi, registerThroughUi, UI_TIMEOUT, type UiUser } from './ui.ts';

/**
 * The organisation directory end to end: an administrator imports a CSV in the admin console
 * (dry run first, then for real); a colleague then finds someone in a sub-department through
 * 组织架构 in the contacts, on the desktop and on a phone, and opens their profile.
 */
describe.skipIf(browserUnavailable)('web client: organisation directory', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let adminPage: Page;
  let viewer: UiUser;
  let viewerPage: Page;
  const adminLogin = { phone: localPhone(), password: 'admin-pass-123' };
  const colleaguePhone = localPhone();
  let colleagueId = '';
  let frontEndId = '';

  const open = async (device: 'desktop' | 'phone' = 'desktop') => {
    const context = await newContext(browser, server, device);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    await server.app.services.auth.createAdmin({ ...adminLogin, nickname: '系统管理员' });
    [adminPage, viewerPage] = await Promise.all([open(), open()]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.app.close();
  });

  it('imports a CSV in the admin console: dry run, report, then the import', async () => {
    viewer = await registerThroughUi(viewerPage, server, '查看人');
    await loginThroughUi(adminPage, adminLogin);
    await adminPage.goto('/admin/directory');
    await adminPage.getByTestId('admin-dir-tab-csv').click();
    const csv = [
      '手机号,姓名,部门,职务',
      `${colleaguePhone},周同事,总部/研发中心/前端组,前端工程师`,
      `${viewer.phone},查看人,总部/市场部,市场专员`,
      '12345,坏数据,总部,职员',
    ].join('\n');
    await adminPage.getByTestId('csv-import-text').fill(csv);
    await adminPage.getByTestId('csv-import-dryrun').click();
    const dry = adminPage.locator('[data-testid="csv-import-report"][data-dry-run="true"]');
    await dry.waitFor({ timeout: UI_TIMEOUT });
    const actions = await dry
      .getByTestId('csv-import-row')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-line'), r.getAttribute('data-action')]));
    expect(actions).toEqual([
      ['2', 'create'],
      ['3', 'update'],
      ['4', 'refused'],
    ]);
    // A dry run creates nobody.
    expect(await server.app.services.users.accountByPhone(colleaguePhone)).toBeNull();
    await adminPage.getByTestId('csv-import-run').click();
    await adminPage
      .locator('[data-testid="csv-import-report"][data-dry-run="false"]')
      .waitFor({ timeout: UI_TIMEOUT });
    const colleague = await server.app.services.users.accountByPhone(colleaguePhone);
    expect(colleague?.nickname).toBe('周同事');
    colleagueId = colleague?.id ?? '';
    await adminPage.getByTestId('admin-dir-tab-tree').click();
    await adminPage
      .getByTestId('admin-dir-node')
      .filter({ hasText: '前端组' })
      .waitFor({ timeout: UI_TIMEOUT });
  });

  it('lets a colleague browse 组织架构 into a sub-department and open a profile (desktop)', async () => {
    await viewerPage.getByTestId('nav-contacts').click();
    await viewerPage.getByTestId('directory-entry').click();
    await viewerPage.getByTestId('directory-breadcrumb').waitFor({ timeout: UI_TIMEOUT });
    for (const name of ['总部', '研发中心', '前端组']) {
      await viewerPage.getByTestId('department-item').filter({ hasText: name }).click();
      await expect
        .poll(() => viewerPage.getByTestId('directory-breadcrumb').textContent(), { timeout: UI_TIMEOUT })
        .toContain(name);
    }
    frontEndId = (await viewerPage.getByTestId('directory-view').getAttribute('data-department-id')) ?? '';
    expect(viewerPage.url()).toContain(`/contacts/directory/${frontEndId}`);
    const member = viewerPage.locator(`[data-testid="directory-member"][data-user-id="${colleagueId}"]`);
    await member.waitFor({ timeout: UI_TIMEOUT });
    await expect(member.textContent()).resolves.toContain('前端工程师');
    await member.click();
    await viewerPage
      .locator(`[data-testid="profile-page"][data-user-id="${colleagueId}"]`)
      .waitFor({ timeout: UI_TIMEOUT });
    expect(new URL(viewerPage.url()).pathname).toBe(`/contacts/${colleagueId}`);
  });

  it('finds the colleague by searching the directory on a phone', async () => {
    const phone = await open('phone');
    await loginThroughUi(phone, viewer);
    await phone.getByTestId('nav-contacts').click();
    await phone.getByTestId('directory-entry').click();
    await phone.getByTestId('directory-breadcrumb').waitFor({ timeout: UI_TIMEOUT });
    await phone.getByTestId('directory-search').locator('input').fill('周');
    const member = phone.locator(`[data-testid="directory-member"][data-user-id="${colleagueId}"]`);
    await member.waitFor({ timeout: UI_TIMEOUT });
    await member.click();
    await phone
      .locator(`[data-testid="profile-page"][data-user-id="${colleagueId}"]`)
      .waitFor({ timeout: UI_TIMEOUT });
  });
});
