import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUser, type TestUser } from '../../packages/server/src/testing/factories.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { loginThroughUi, registerThroughUi, sdkPeer, UI_TIMEOUT, type Peer, type UiUser } from './ui.ts';

/** Where to write screenshots (unset: none). */
const SHOTS = process.env.ZX_SYSTEM_SHOTS;

/**
 * The console's system pages for an administrator (settings, exports, API reference) and "people you
 * may know" for a user: 王丽 (desktop) has one friend, 张敏, whose friends 陈波 and 李强 she is offered;
 * she asks 陈波 through the usual request form and dismisses 李强.
 */
describe.skipIf(browserUnavailable)(
  'web client: system settings, exports, API reference, recommendations',
  () => {
    let server: WebServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let admin: TestUser;
    const peers: Peer[] = [];

    const shot = async (p: Page, name: string) => {
      if (!SHOTS) return;
      mkdirSync(SHOTS, { recursive: true });
      await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
    };

    beforeAll(async () => {
      server = await startWebServer();
      admin = await adminUser(server.app);
      browser = await launchBrowser();
      context = await newContext(browser, server, 'desktop');
      context.setDefaultTimeout(UI_TIMEOUT);
      page = await context.newPage();
      await page.setViewportSize({ width: 1440, height: 1000 });
      await loginThroughUi(page, admin);
    });

    afterAll(async () => {
      for (const p of peers) p.client.close();
      await context?.close();
      await browser?.close();
      await server?.app.close();
    });

    it('changes the watermark template, recall window and registration from the settings page', async () => {
      await page.goto('/admin/settings');
      await page.getByTestId('admin-system-settings').waitFor();
      await page.getByTestId('system-client-pages').locator('input').first().waitFor();
      const template = page.getByTestId('system-watermark-template');
      await template.fill('{nickname} 内部资料\n{date}');
      await expect
        .poll(() => page.getByTestId('system-watermark-preview').textContent())
        .toContain('内部资料');
      await page.getByTestId('system-recall-window').fill('300');
      await page.getByTestId('system-registration-open').click();
      // A draft in the SMS card while the other card saves: it must survive that save.
      await page.getByTestId('system-sms-authorization').fill('Bearer e2e-secret');
      await page.getByTestId('system-runtime-save').click();
      await expect
        .poll(async () => {
          const s = await server.app.services.system.settings();
          return [s.watermarkTemplate, s.recallWindowSeconds, s.registrationOpen];
        })
        .toEqual(['{nickname} 内部资料\n{date}', 300, false]);
      // The runtime card has applied the server's answer (its toast) and the SMS draft is still there.
      await page.getByText('已保存').first().waitFor({ timeout: UI_TIMEOUT });
      await expect(page.getByTestId('system-sms-authorization').inputValue()).resolves.toBe(
        'Bearer e2e-secret',
      );
      await page.getByTestId('system-sms-save').click();
      await expect
        .poll(() => page.getByTestId('system-sms-secret-state').textContent(), { timeout: UI_TIMEOUT })
        .toBe('已设置');
      await expect(page.getByTestId('system-sms-authorization').inputValue()).resolves.toBe('');
      await shot(page, 'system-settings');
      await server.app.services.system.update(admin.userId, { registrationOpen: true });
    });

    it('downloads the registered users as a CSV that Excel reads as UTF-8', async () => {
      await page.goto('/admin/exports');
      await page.getByTestId('admin-exports').waitFor();
      await shot(page, 'system-exports');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('exports-users-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^zhixin-.*-users\.csv$/);
      const bytes = readFileSync(await download.path());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').trim().split('\r\n');
      expect(lines[0]).toContain('用户ID,手机号,昵称');
      expect(lines.some((l) => l.startsWith(admin.userId))).toBe(true);
    });

    it('shows the API reference generated from OpenAPI, grouped and searchable', async () => {
      await page.goto('/admin/api');
      await page.getByTestId('admin-api').waitFor();
      await expect.poll(() => page.getByTestId('api-group').count()).toBeGreaterThan(8);
      await shot(page, 'system-api');
      await page.getByTestId('api-search').locator('input').fill('recommend');
      const entry = page.locator('[data-testid="api-entry"][data-operation="friends.recommendations"]');
      await entry.waitFor();
      await entry.click();
      await expect
        .poll(() => page.getByTestId('api-entry-details').first().textContent())
        .toContain('Access');
      await shot(page, 'system-api-search');
    });

    it('offers people I may know, with reasons; add sends a request, dismiss hides them', async () => {
      const user = await newContext(browser, server, 'desktop');
      user.setDefaultTimeout(UI_TIMEOUT);
      const me = await user.newPage();
      const wang: UiUser = await registerThroughUi(me, server, '王丽');
      const [zhang, chen, li] = await Promise.all(['张敏', '陈波', '李强'].map((n) => sdkPeer(server, n)));
      peers.push(zhang!, chen!, li!);
      const befriend = async (a: Peer | UiUser, b: Peer) => {
        const res = await b.client.friends.request(a.userId, '你好');
        const owner = peers.find((p) => p.userId === a.userId);
        if (res.request && owner) await owner.client.friends.accept(res.request.id);
      };
      await befriend(zhang!, chen!);
      await befriend(zhang!, li!);
      // 张敏 asks 王丽, who accepts in 新的朋友.
      const sent = await zhang!.client.friends.request(wang.userId, '我是张敏');
      await me.goto('/contacts/requests');
      const accept = me.locator(`[data-testid="friend-request-item"][data-from-user-id="${zhang!.userId}"]`);
      await accept.getByTestId('friend-request-accept').click();
      await me.getByTestId('friend-request-accept-confirm').click();
      expect(sent.request).toBeTruthy();
      await me.reload();
      const item = (id: string) => me.locator(`[data-testid="recommendation-item"][data-user-id="${id}"]`);
      await item(chen!.userId).waitFor();
      await expect(item(chen!.userId).getByTestId('recommendation-reasons').textContent()).resolves.toBe(
        '1 位共同好友',
      );
      await shot(me, 'recommend-desktop');
      await item(chen!.userId).getByTestId('recommendation-add').click();
      await item(chen!.userId).getByTestId('contact-add-confirm').click();
      await item(chen!.userId).waitFor({ state: 'detached' });
      await expect.poll(async () => (await chen!.client.friends.requests()).incoming.length).toBe(1);
      await item(li!.userId).getByTestId('recommendation-dismiss').click();
      await item(li!.userId).waitFor({ state: 'detached' });
      const { items } = await server.app.services.recommend.recommendations({
        userId: wang.userId,
        sessionId: '',
      });
      expect(items.map((r) => r.user.id)).not.toContain(li!.userId);
      await user.close();
    });
  },
);
