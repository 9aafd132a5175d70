import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import {
  localPhone,
  loginThroughUi,
  messageWithText,
  registerThroughUi,
  sendText,
  UI_TIMEOUT,
  type UiUser,
} from './ui.ts';

/**
 * The operations account end to end: a user finds it (with its 官方 badge) in the contacts and
 * writes to it; an administrator answers in /admin/feedback and then broadcasts to everyone from
 * /admin/broadcast; the user sees the answer and the broadcast in the official chat.
 */
describe.skipIf(browserUnavailable)('web client: operations account', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let userPage: Page;
  let adminPage: Page;
  let user: UiUser;
  const adminLogin = { phone: localPhone(), password: 'admin-pass-123' };

  const open = async () => {
    const context = await newContext(browser, server, 'desktop');
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    server = await startWebServer({ config: { opsAccount: { name: '致信通讯运营' } } });
    browser = await launchBrowser();
    await server.app.services.auth.createAdmin({ ...adminLogin, nickname: '运营管理员' });
    [userPage, adminPage] = await Promise.all([open(), open()]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.app.close();
  });

  it('shows the operations account with its badge in the contacts, first, and in the chat', async () => {
    user = await registerThroughUi(userPage, server, '反馈用户');
    await userPage.getByTestId('nav-contacts').click();
    const official = userPage
      .getByTestId('contact-item')
      .filter({ has: userPage.getByTestId('official-badge') });
    await official.waitFor({ timeout: UI_TIMEOUT });
    expect(await official.textContent()).toContain('致信通讯运营');
    expect(await userPage.getByTestId('contact-item').first().getAttribute('data-user-id')).toBe(
      await official.getAttribute('data-user-id'),
    );
    await official.click();
    await userPage.getByTestId('profile-send-message').click();
    await userPage.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
    await userPage.getByTestId('chat-title').getByTestId('official-badge').waitFor({ timeout: UI_TIMEOUT });
    await sendText(userPage, '收不到验证码怎么办？');
    await userPage.getByTestId('nav-chats').click();
    const row = userPage.getByTestId('conversation-item').filter({ hasText: '致信通讯运营' });
    await row.getByTestId('official-badge').waitFor({ timeout: UI_TIMEOUT });
  });

  it('lets an administrator answer the feedback in /admin/feedback; the user sees the answer', async () => {
    await loginThroughUi(adminPage, adminLogin);
    await adminPage.goto('/admin/feedback');
    const item = adminPage.locator(`[data-testid="feedback-item"][data-user-id="${user.userId}"]`);
    await item.waitFor({ timeout: UI_TIMEOUT });
    expect(await item.textContent()).toContain('收不到验证码怎么办？');
    await item.click();
    await adminPage
      .getByTestId('admin-feedback-message')
      .filter({ hasText: '收不到验证码怎么办？' })
      .waitFor();
    await adminPage.getByTestId('feedback-reply-input').fill('请检查手机号是否正确，稍后重试');
    await adminPage.getByTestId('feedback-reply-send').click();
    await adminPage
      .getByTestId('admin-feedback-message')
      .filter({ hasText: '请检查手机号是否正确，稍后重试' })
      .waitFor({ timeout: UI_TIMEOUT });
    // Answered: it leaves the open list.
    await item.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

    await userPage.getByTestId('conversation-item').filter({ hasText: '致信通讯运营' }).click();
    await messageWithText(userPage, '请检查手机号是否正确，稍后重试').waitFor({ timeout: UI_TIMEOUT });
  });

  it('broadcasts to everyone from /admin/broadcast after a confirmation; the user receives it', async () => {
    await adminPage.getByTestId('admin-menu-broadcast').click();
    await adminPage.getByTestId('admin-broadcast-target-all').click();
    await adminPage.getByTestId('admin-broadcast-text').fill('系统将于今晚 22:00 升级维护');
    await adminPage.getByTestId('admin-broadcast-send').click();
    await adminPage.getByTestId('admin-broadcast-confirm').click();
    await adminPage
      .locator('[data-testid="admin-broadcast-row"][data-status="done"]')
      .filter({ hasText: '系统将于今晚 22:00 升级维护' })
      .waitFor({ timeout: UI_TIMEOUT });
    await messageWithText(userPage, '系统将于今晚 22:00 升级维护').waitFor({ timeout: UI_TIMEOUT });
  });
});
