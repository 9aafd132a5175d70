/**
 * `npm run screenshots`: start a server (SQLite in a temp dir), seed a small office through the
 * SDK, and write PNGs of the main screens, desktop and mobile, to screenshots/. Look at them before
 * calling a UI change done.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  browserUnavailable,
  launchBrowser,
  newContext,
  ROOT,
  startWebServer,
  type WebServer,
} from './browser.ts';
import { seedMedia } from './files-seed.ts';
import { closeOffice, seedOffice, type Office } from './seed.ts';
import { loginThroughUi, UI_TIMEOUT } from './ui.ts';

const OUT = join(ROOT, 'screenshots');

async function shot(page: Page, name: string): Promise<void> {
  // Let lazy chunks, avatars and fonts settle: no request in flight (the WebSocket does not count).
  await page.waitForLoadState('networkidle');
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  console.log(`wrote ${path}`);
}

/** The seeded photo's thumbnail has loaded. */
const mediaShown = (page: Page) =>
  page.locator('[data-testid="image-bubble"][data-state="ready"]').last().waitFor({ timeout: UI_TIMEOUT });

const item = (page: Page, conversationId: string) =>
  page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);

async function desktop(browser: Browser, server: WebServer, office: Office): Promise<void> {
  const context = await newContext(browser, server, 'desktop');
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-phone').waitFor();
  await shot(page, 'desktop-1-login');

  await loginThroughUi(page, office.me);
  await item(page, office.chatId).click();
  await page.getByTestId('message-item').last().waitFor({ timeout: UI_TIMEOUT });
  await mediaShown(page);
  await shot(page, 'desktop-2-chats');

  await page.getByTestId('nav-contacts').click();
  const colleague = office.colleagues[0] as Office['colleagues'][number];
  await page.locator(`[data-testid="contact-item"][data-user-id="${colleague.userId}"]`).click();
  await page.getByTestId('profile-page').waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'desktop-3-contacts-profile');

  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-menu-general').click();
  await page.getByTestId('font-size-large').click();
  // The step re-lays every screen through --zx-font-scale on <html> (app/ThemeProviders.tsx).
  await page.waitForFunction(
    () => document.documentElement.style.getPropertyValue('--zx-font-scale') === '1.15',
    undefined,
    { timeout: UI_TIMEOUT },
  );
  await shot(page, 'desktop-4-settings-large-font');
  // The font size is an account preference: put it back before the phone signs in.
  await page.getByTestId('font-size-standard').click();
  await context.close();
}

async function mobile(browser: Browser, server: WebServer, office: Office): Promise<void> {
  const context = await newContext(browser, server, 'phone');
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByTestId('login-phone').waitFor();
  await shot(page, 'mobile-1-login');

  await loginThroughUi(page, office.me);
  await item(page, office.chatId).waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'mobile-2-chats');

  await item(page, office.chatId).click();
  await page.getByTestId('message-item').last().waitFor({ timeout: UI_TIMEOUT });
  await mediaShown(page);
  await shot(page, 'mobile-3-chat');
  await page.getByTestId('chat-back').click();

  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('contact-list').waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'mobile-4-contacts');

  await page.getByTestId('nav-me').click();
  await page.getByTestId('me-card').waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'mobile-5-me');

  await page.getByTestId('me-entry-general').click();
  await page.getByTestId('settings-font-size').waitFor({ timeout: UI_TIMEOUT });
  await shot(page, 'mobile-6-settings');
  await context.close();
}

async function main(): Promise<void> {
  if (browserUnavailable) throw new Error(browserUnavailable);
  mkdirSync(OUT, { recursive: true });
  const server = await startWebServer();
  const office = await seedOffice(server);
  await seedMedia(office);
  const browser = await launchBrowser();
  try {
    await desktop(browser, server, office);
    await mobile(browser, server, office);
  } finally {
    await browser.close();
    await closeOffice(office);
    await server.app.close();
  }
}

await main();
