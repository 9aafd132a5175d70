import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUser, type TestUser } from '../../packages/server/src/testing/factories.ts';
import { seedStats, type StatsSeedSummary } from '../../bench/seed/stats-seed.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { loginThroughUi, sdkPeer, UI_TIMEOUT, type Peer } from './ui.ts';

/** Where to write screenshots of the dashboard (unset: none). */
const SHOTS = process.env.ZX_STATS_SHOTS;

/**
 * The usage dashboard at /admin/dashboard for an operator, over 95 days of a small organisation's
 * usage seeded through the real rollup code: figures (online now, DAU/WAU/MAU, today's new users,
 * messages and active groups), the charts, the range presets and the granularity.
 */
describe.skipIf(browserUnavailable)('web client: usage dashboard', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let operator: TestUser;
  let peer: Peer;
  let seed: StatsSeedSummary;

  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  };
  const figure = (key: string) => page.getByTestId(`stats-figure-${key}`);

  beforeAll(async () => {
    server = await startWebServer({ config: { opsAccount: { enabled: false } } });
    const { app } = server;
    seed = await seedStats(app.platform.db, app.platform.dialect, {
      users: 400,
      messages: 40_000,
      days: 95,
      end: Date.now(),
      timeZone: app.platform.config.stats.timeZone,
    });
    operator = await staffUser(app, 'operator');
    peer = await sdkPeer(server, '在线同事');
    browser = await launchBrowser();
    context = await newContext(browser, server, 'desktop');
    await context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await page.setViewportSize({ width: 1440, height: 1000 });
  });

  afterAll(async () => {
    peer?.client.close();
    await context?.close();
    await browser?.close();
    await server?.app.close();
  });

  it('opens first in the console and shows the key figures', async () => {
    await loginThroughUi(page, operator);
    await page.goto('/admin');
    await page.getByTestId('admin-dashboard').waitFor();
    expect(page.url()).toContain('/admin/dashboard');
    await expect
      .poll(() => figure('online').locator('.ant-statistic-content').textContent())
      .toMatch(/^[1-9]/);
    await expect.poll(() => figure('mau').locator('.ant-statistic-content').textContent()).toMatch(/^[1-9]/);
    const mau = Number(
      (await figure('mau').locator('.ant-statistic-content').textContent())?.replace(/,/g, ''),
    );
    expect(mau).toBeLessThanOrEqual(seed.users + 2);
    await page.getByTestId('stats-chart-messages-canvas').locator('canvas').waitFor();
    await page.getByTestId('stats-chart-users-canvas').locator('canvas').waitFor();
    await page.getByTestId('stats-meetings').locator('canvas').waitFor();
    await shot('dashboard-30d');
  });

  it('changes the range and the granularity', async () => {
    await page.getByTestId('stats-range-90d').click();
    await page.getByTestId('stats-chart-messages-canvas').locator('canvas').waitFor();
    await page.getByTestId('stats-granularity').click();
    await page.locator('.ant-select-item-option[title="按周"]').click();
    await expect.poll(() => page.getByTestId('stats-granularity').textContent()).toContain('按周');
    await page.getByTestId('stats-chart-groups-canvas').locator('canvas').waitFor();
    await shot('dashboard-90d-weekly');
    await page.getByTestId('stats-range-today').click();
    await expect.poll(() => page.getByTestId('stats-granularity').textContent()).toContain('按小时');
    await page.getByTestId('stats-chart-messages-canvas').locator('canvas').waitFor();
    await shot('dashboard-today-hourly');
  });
});
