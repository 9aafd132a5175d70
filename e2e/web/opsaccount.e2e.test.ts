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
 * /admin/broadcast; the user sees the answer in the official chat and the broadcast in the
 * account's announcement channel (stored once for everyone, read-only for subscribers).
 */
describe.skipIf(browserUnavailable)('web client: operations account', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let userPage: Page;
  let adminPage: Page;
  let user: UiUser;
  const adminLogin = { phone: localPhone(), password: 'admin-pass-123' };
  let broadcasts = 0;

  /** The 1:1 chat with the operations account, and its announcement channel (same name, both). */
  const officialChat = (page: Page) =>
    page.locator('[data-testid="conversation-item"][data-kind="direct"]').filter({ hasText: '致信通讯运营' });
  const channelRow = (page: Page) => page.locator('[data-testid="conversation-item"][data-kind="channel"]');

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
    await officialChat(userPage).getByTestId('official-badge').waitFor({ timeout: UI_TIMEOUT });
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

    await officialChat(userPage).click();
    await messageWithText(userPage, '请检查手机号是否正确，稍后重试').waitFor({ timeout: UI_TIMEOUT });
    // Read once in view (after a short debounce): the chats badge clears.
    await userPage
      .getByTestId('nav-chats')
      .locator('.ant-badge-count')
      .waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });

  it('broadcasts to everyone from /admin/broadcast after a confirmation; the user reads it in the channel', async () => {
    // A text of its own per attempt: a retry must not meet the first attempt's broadcast.
    const post = `系统将于今晚 22:00 升级维护（通知 ${++broadcasts}）`;
    // A fresh page: a failed first attempt can leave its confirmation open over the menu (seen in a
    // loaded CI run, where the retry's click then waited 30 s behind it).
    await adminPage.reload();
    await adminPage.getByTestId('admin-menu-broadcast').click();
    await adminPage.getByTestId('admin-broadcast-target-all').click();
    await adminPage.getByTestId('admin-broadcast-text').fill(post);
    await adminPage.getByTestId('admin-broadcast-send').click();
    await adminPage.getByTestId('admin-broadcast-confirm').click();
    await adminPage
      .locator('[data-testid="admin-broadcast-row"][data-status="done"]')
      .filter({ hasText: post })
      .waitFor({ timeout: UI_TIMEOUT });

    // A row of its own beside the 1:1 chat: the account's name, 官方 and 公告, and a weak reminder
    // (a dot, nothing on the chats badge: R-S4).
    const channel = channelRow(userPage);
    await channel.getByTestId('conversation-unread-dot').waitFor({ timeout: UI_TIMEOUT });
    expect(await channel.textContent()).toContain('致信通讯运营');
    await channel.getByTestId('official-badge').waitFor();
    expect(await channel.getByTestId('channel-tag').textContent()).toBe('公告');
    expect(await userPage.getByTestId('nav-chats').locator('.ant-badge-count').count()).toBe(0);

    await channel.click();
    await messageWithText(userPage, post).waitFor({ timeout: UI_TIMEOUT });
    // Subscribers read: a hint instead of the composer, no calls, no chat info, no transfer code.
    expect(await userPage.getByTestId('chat-read-only').textContent()).toBe('仅运营号可在此发布公告');
    for (const absent of ['composer-input', 'call-voice', 'chat-info', 'transfer-code-entry'])
      expect(await userPage.getByTestId(absent).count(), absent).toBe(0);
    await messageWithText(userPage, post).getByTestId('message-text').click({ button: 'right' });
    await userPage.getByTestId('message-action-forward').waitFor({ timeout: UI_TIMEOUT });
    expect(await userPage.getByTestId('message-action-reply').count()).toBe(0);
    await userPage.keyboard.press('Escape');

    // Stored once, in the channel: the 1:1 chat does not repeat it.
    await officialChat(userPage).click();
    await messageWithText(userPage, '请检查手机号是否正确，稍后重试').waitFor({ timeout: UI_TIMEOUT });
    expect(await messageWithText(userPage, post).count()).toBe(0);
  });
});
