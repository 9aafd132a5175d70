import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserUnavailable,
  launchBrowser,
  newContext,
  startWebServer,
  type Device,
  type WebServer,
} from './browser.ts';
import { conversationWith, registerThroughUi, sdkPeer, UI_TIMEOUT, type Peer, type UiUser } from './ui.ts';

/** The layouts, the settings that re-lay every screen, the watermark and the sign-in errors. */
describe.skipIf(browserUnavailable)('web client: layouts, settings and guards', () => {
  let server: WebServer;
  let browser: Browser;
  let peer: Peer;
  const contexts: BrowserContext[] = [];

  const open = async (device: Device) => {
    const context = await newContext(browser, server, device);
    contexts.push(context);
    return context.newPage();
  };

  /** A new user with one conversation (a greeting from the peer) in the list. */
  const userWithChat = async (page: Page, nickname: string): Promise<UiUser> => {
    const me = await registerThroughUi(page, server, nickname);
    const chat = await peer.client.conversations.openDirect(me.userId);
    await peer.client.messages.sendText(chat.id, `${nickname}，你好`);
    await conversationWith(page, peer.nickname).waitFor({ timeout: UI_TIMEOUT });
    return me;
  };

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    peer = await sdkPeer(server, '林静');
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await peer?.client.close();
    await browser?.close();
    await server?.app.close();
  });

  it('lays a phone out with a tab bar: chats, a chat and back, contacts, me', async () => {
    const page = await open('phone');
    await userWithChat(page, '吴昊');
    await page.getByTestId('shell-mobile').waitFor();
    const tabBar = page.locator('.adm-tab-bar');
    for (const tab of ['nav-chats', 'nav-contacts', 'nav-discover', 'nav-me']) {
      await expect(page.getByTestId(tab).isVisible()).resolves.toBe(true);
    }

    await conversationWith(page, peer.nickname).click();
    await page.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
    await expect(tabBar.count()).resolves.toBe(0);
    await page.getByTestId('chat-back').click();
    await page.getByTestId('conversation-list').waitFor({ timeout: UI_TIMEOUT });
    await expect(tabBar.isVisible()).resolves.toBe(true);

    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-list').waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('nav-me').click();
    await expect(page.getByTestId('me-card').textContent()).resolves.toContain('吴昊');
  });

  it('re-lays the chat list in a larger font after one font-size step', async () => {
    const page = await open('desktop');
    await userWithChat(page, '郑洁');
    const name = conversationWith(page, peer.nickname).getByText(peer.nickname, { exact: true }).first();
    const fontSize = () => name.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    const before = await fontSize();

    await openGeneralSettings(page);
    await page.getByTestId('font-size-xlarge').click();
    await page.getByTestId('nav-chats').click();
    await expect.poll(fontSize, { timeout: UI_TIMEOUT }).toBeGreaterThan(before * 1.2);
  });

  it('switches the labels to English', async () => {
    const page = await open('desktop');
    await registerThroughUi(page, server, '冯雪');
    await expect(page.getByTestId('nav-contacts').getAttribute('aria-label')).resolves.toBe('通讯录');
    await openGeneralSettings(page);
    await page.getByTestId('language-en').click();
    await expect
      .poll(() => page.getByTestId('nav-contacts').getAttribute('aria-label'), { timeout: UI_TIMEOUT })
      .toBe('Contacts');
  });

  it('keeps a watermark with the user’s name that comes back when removed or hidden', async () => {
    const page = await open('desktop');
    // The watermark is an image drawn on a canvas: record what is written on canvases.
    await page.addInitScript(() => {
      const drawn: string[] = [];
      Reflect.set(window, '__zxCanvasText', drawn);
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, x, y, maxWidth) {
        drawn.push(String(text));
        return maxWidth === undefined
          ? fillText.call(this, text, x, y)
          : fillText.call(this, text, x, y, maxWidth);
      };
    });
    const me = await registerThroughUi(page, server, '褚明');
    const watermark = page.getByTestId('watermark');
    await watermark.waitFor({ state: 'attached', timeout: UI_TIMEOUT });
    await expect.poll(() => watermarkVisible(page), { timeout: UI_TIMEOUT }).toBe(true);
    const drawn = await page.evaluate(() => Reflect.get(window, '__zxCanvasText') as string[]);
    expect(drawn).toContain(`褚明 ${me.phone.slice(-4)}`);

    await watermark.evaluate((el) => el.remove());
    await expect.poll(() => watermarkVisible(page), { timeout: UI_TIMEOUT }).toBe(true);

    await watermark.evaluate((el) => {
      (el as HTMLElement).style.display = 'none';
    });
    await expect.poll(() => watermarkVisible(page), { timeout: UI_TIMEOUT }).toBe(true);
  });

  it('explains a wrong password and a closed registration', async () => {
    const page = await open('desktop');
    const user = await registerThroughUi(page, server, '卫东');
    const other = await open('desktop');
    await other.goto('/login');
    await other.getByTestId('login-phone').fill(user.phone);
    await other.getByTestId('login-password').fill(`${user.password}-wrong`);
    await other.getByTestId('login-submit').click();
    await expect(errorShown(other)).resolves.toMatch(/密码/);

    await expect(other.getByTestId('shell-desktop').count()).resolves.toBe(0);

    // A server whose operator creates the accounts: the sign-up screen says so instead of a form.
    const closed = await startWebServer({ config: { auth: { registrationOpen: false } } });
    try {
      const context = await browser.newContext({
        baseURL: closed.baseUrl,
        viewport: { width: 1280, height: 800 },
      });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByText('暂未开放自助注册').waitFor({ timeout: UI_TIMEOUT });
      await expect(page.getByTestId('link-register').count()).resolves.toBe(0);
      // A bookmarked sign-up link says the same instead of offering a form that cannot work.
      await page.goto('/register');
      await expect(errorShown(page)).resolves.toMatch(/暂未开放自助注册/);
      await expect(page.getByTestId('register-submit').count()).resolves.toBe(0);
    } finally {
      await closed.app.close();
    }
  });
});

/** Settings → General (font size, language). */
async function openGeneralSettings(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-menu-general').click();
  await page.getByTestId('settings-font-size').waitFor({ timeout: UI_TIMEOUT });
}

/** The text of whatever error the page shows: a form error, an alert, a toast or a message. */
async function errorShown(page: Page): Promise<string> {
  const error = page
    .locator(
      [
        '.ant-form-item-explain-error',
        '.ant-alert-error',
        '.ant-message-error',
        '.adm-toast-main',
        '.adm-form-item-feedback-error',
        '[role="alert"]',
      ].join(', '),
    )
    .filter({ hasText: /\S/ })
    .first();
  await error.waitFor({ timeout: UI_TIMEOUT });
  return (await error.textContent()) ?? '';
}

/** Whether an untampered watermark is on the page: attached, displayed, not transparent. */
function watermarkVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="watermark"]');
    if (!el) return false;
    const style = getComputedStyle(el);
    return style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0;
  });
}
