import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUser, registerUser, type TestUser } from '../../packages/server/src/testing/factories.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { loginThroughUi, UI_TIMEOUT } from './ui.ts';

/** Where to write screenshots of the console on both layouts (unset: none). */
const SHOTS = process.env.ZX_ADMIN_MOBILE_SHOTS;

/** The phone of browser.ts: 390 × 844 CSS pixels. */
const PHONE_WIDTH = 390;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
}

/** Where an element sits on the page, in CSS pixels (null: not rendered). */
async function box(page: Page, testId: string) {
  return page.getByTestId(testId).boundingBox();
}

/** How far the page, and the console's content area, scroll sideways: 0 when nothing sticks out. */
function overflow(page: Page): Promise<{ page: number; content: number }> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const content = document.querySelector('[data-testid="admin-content"]');
    return {
      page: root.scrollWidth - root.clientWidth,
      content: content ? content.scrollWidth - content.clientWidth : -1,
    };
  });
}

/**
 * The admin console on a phone (390 × 844): the side menu gives way to a menu button and a drawer, the
 * page gets the full width, and a wide table scrolls inside its own box rather than the page
 * sideways. On a desktop the side menu stays where it was.
 */
describe.skipIf(browserUnavailable)('web client: the admin console on a phone', () => {
  let server: WebServer;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    server = await startWebServer({ config: { opsAccount: { enabled: false } } });
    admin = await adminUser(server.app);
    // Long names widen the users table past a phone's width.
    for (const nickname of [
      '欧阳明远（华东区域销售与渠道管理部）',
      '司马晓菲（人力资源与行政服务中心）',
      '赵敏',
    ])
      await registerUser(server.app, { nickname });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
  });

  it('gives the page the full width, opens the menu as a drawer and moves to another page', async () => {
    const context = await newContext(browser, server, 'phone');
    context.setDefaultTimeout(UI_TIMEOUT);
    try {
      const page = await context.newPage();
      await loginThroughUi(page, admin);
      await page.goto('/admin/users');
      await expect.poll(() => page.getByTestId('admin-users-row').count()).toBeGreaterThanOrEqual(4);
      await shot(page, 'mobile-users');

      // No side menu squeezing the page: the content spans the screen.
      const content = await box(page, 'admin-content');
      expect(content?.width).toBeGreaterThanOrEqual(350);
      expect(content?.x).toBeLessThanOrEqual(PHONE_WIDTH - 350);
      expect(await page.getByTestId('admin-menu-users').isVisible()).toBe(false);
      expect(await page.getByTestId('admin-page-title').textContent()).toBe('用户管理');
      // The table is wider than the phone: it scrolls inside its box, the page does not.
      const scroller = page.getByTestId('admin-users').locator('.ant-table-content');
      const widths = await scroller.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(widths.scroll).toBeGreaterThan(widths.client);
      expect(widths.client).toBeLessThanOrEqual(PHONE_WIDTH);
      expect(await overflow(page)).toEqual({ page: 0, content: 0 });

      await page.getByTestId('admin-menu-toggle').click();
      const drawer = page.getByTestId('admin-menu-drawer');
      await drawer.waitFor();
      await drawer.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
      await shot(page, 'mobile-menu-open');
      await page.getByTestId('admin-menu-license').click();
      await page.waitForURL('**/admin/license');
      await page.getByTestId('admin-license').waitFor();
      await drawer.waitFor({ state: 'hidden' });
      expect(await page.getByTestId('admin-page-title').textContent()).toBe('许可与无效用户');
      expect((await box(page, 'admin-content'))?.width).toBeGreaterThanOrEqual(350);
      expect(await overflow(page)).toEqual({ page: 0, content: 0 });
      await shot(page, 'mobile-license');
    } finally {
      await context.close();
    }
  });

  it('keeps the side menu beside the page on a desktop', async () => {
    const context = await newContext(browser, server, 'desktop');
    context.setDefaultTimeout(UI_TIMEOUT);
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1440, height: 900 });
      await loginThroughUi(page, admin);
      await page.goto('/admin/users');
      await expect.poll(() => page.getByTestId('admin-users-row').count()).toBeGreaterThanOrEqual(4);
      await shot(page, 'desktop-users');
      expect(await page.getByTestId('admin-menu-users').isVisible()).toBe(true);
      expect(await page.getByTestId('admin-menu-toggle').count()).toBe(0);
      const content = await box(page, 'admin-content');
      expect(content?.x).toBe(220);
      expect(content?.width).toBe(1440 - 220);
      await page.getByTestId('admin-menu-license').click();
      await page.getByTestId('admin-license').waitFor();
      await shot(page, 'desktop-license');
    } finally {
      await context.close();
    }
  });
});
