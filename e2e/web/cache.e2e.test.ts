import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { PageDiagnostics } from './diagnostics.ts';
import {
  conversationWith,
  messageWithText,
  registerThroughUi,
  sdkPeer,
  COLD_START_TIMEOUT,
  UI_TIMEOUT,
  waitForCachedMessages,
  type Peer,
} from './ui.ts';

/**
 * Fast start (R-C3, R-X8): a returning user sees their chats from IndexedDB before the network
 * answers, and the service worker opens the app with no network at all.
 */
describe.skipIf(browserUnavailable)('web client: cached start', () => {
  let server: WebServer;
  let browser: Browser;
  let peer: Peer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    peer = await sdkPeer(server, '赵敏');
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await peer?.client.close();
    await browser?.close();
    await server?.app.close();
  });

  /** A signed-in user who received `text` from the peer and read it (so it is cached). */
  async function userWithChat(page: Page, nickname: string, text: string): Promise<void> {
    const me = await registerThroughUi(page, server, nickname);
    const chat = await peer.client.conversations.openDirect(me.userId);
    await peer.client.messages.sendText(chat.id, text);
    await conversationWith(page, peer.nickname).click();
    await messageWithText(page, text).waitFor({ timeout: UI_TIMEOUT });
    await waitForCachedMessages(page, 1);
  }

  it('shows the chat list and messages after a reload while the server is unreachable', async () => {
    const context = await newContext(browser, server, 'desktop');
    contexts.push(context);
    const page = await context.newPage();
    await userWithChat(page, '孙伟', '缓存里的第一条消息');

    // Nothing from the server from here on: whatever renders comes from this device's cache.
    let blocked = 0;
    await context.route('**/api/**', (route) => {
      blocked++;
      return route.abort('connectionrefused');
    });
    await context.routeWebSocket('**/ws', (ws) => ws.close({ code: 1011, reason: 'blocked by the test' }));
    await page.reload();

    await conversationWith(page, peer.nickname).waitFor({ timeout: COLD_START_TIMEOUT });
    await messageWithText(page, '缓存里的第一条消息').waitFor({ timeout: UI_TIMEOUT });
    expect(blocked).toBeGreaterThan(0);
  });

  // One retry: this start has failed twice on CI machines (a blank wait of 45 s, never reproduced
  // here in dozens of runs, loaded or not); the diagnostics print what the page showed and held.
  it('opens offline through the service worker and shows the cached chats', { retry: 1 }, async () => {
    const context = await newContext(browser, server, 'desktop', { serviceWorkers: true });
    contexts.push(context);
    const page = await context.newPage();
    const diagnostics = new PageDiagnostics(page);
    await userWithChat(page, '周婷', '离线也能看到这条');
    // The worker has precached the app shell once it is active and controls this page.
    await page.waitForFunction(
      async () => {
        const registration = await navigator.serviceWorker.ready;
        return registration.active !== null && navigator.serviceWorker.controller !== null;
      },
      undefined,
      { timeout: UI_TIMEOUT },
    );
    // The cache is written in batches 250 ms apart: a reload before the chat's batch lands starts
    // with nothing cached (CI once saw 0 conversations and 0 messages in IndexedDB here).
    await waitForCachedMessages(page, 1);

    await context.setOffline(true);
    const shell = await page.reload();
    expect(shell?.fromServiceWorker()).toBe(true);
    await diagnostics.step('the offline start', async () => {
      await conversationWith(page, peer.nickname).waitFor({ timeout: COLD_START_TIMEOUT });
      await messageWithText(page, '离线也能看到这条').waitFor({ timeout: UI_TIMEOUT });
    });
    await context.setOffline(false);
  });
});
