import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import {
  findUser,
  openProfile,
  openRequestFrom,
  registerThroughUi,
  sendFriendRequest,
  UI_TIMEOUT,
  type UiUser,
} from './ui.ts';

/**
 * Two people become friends through a request, in both layouts: 王丽 on a desktop finds 陈波 by
 * phone, looks at his profile first, and asks with a message; 陈波, on a phone, sees the request
 * in 新的朋友, opens her profile from it and accepts with a remark. Then he blocks her, and her
 * next message is refused with a clear notice. The `it`s are steps of one story and run in order.
 */
describe.skipIf(browserUnavailable)('web client: friends', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let alice: UiUser;
  let bob: UiUser;

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    const desk = await newContext(browser, server, 'desktop');
    const phone = await newContext(browser, server, 'phone');
    contexts.push(desk, phone);
    [a, b] = await Promise.all([desk.newPage(), phone.newPage()]);
    alice = await registerThroughUi(a, server, '王丽');
    bob = await registerThroughUi(b, server, '陈波');
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.app.close();
  });

  const profilePage = (page: Page, userId: string) =>
    page.locator(`[data-testid="profile-page"][data-user-id="${userId}"]`);

  it('finds the other by phone and opens their profile before asking', async () => {
    const result = await findUser(a, bob.phone);
    await expect(result.getAttribute('data-user-id')).resolves.toBe(bob.userId);
    await result.getByTestId('contact-add-profile').click();
    await profilePage(a, bob.userId).waitFor({ timeout: UI_TIMEOUT });
    await expect(a.getByTestId('profile-nickname').textContent()).resolves.toContain('陈波');
    await a.getByTestId('profile-add-contact').waitFor({ timeout: UI_TIMEOUT });
  });

  it('sends a friend request with a message', async () => {
    await sendFriendRequest(a, bob.phone, { message: '你好，我是产品部的王丽' });
  });

  it('shows the request in 新的朋友 with a badge, and the requester’s profile from it', async () => {
    await b.getByTestId('nav-contacts').click();
    const badge = b.getByTestId('friend-requests-badge');
    await badge.waitFor({ timeout: UI_TIMEOUT });
    await expect(badge.textContent()).resolves.toBe('1');
    const item = await openRequestFrom(b, alice.userId);
    await expect(item.getByTestId('friend-request-message').textContent()).resolves.toBe(
      '你好，我是产品部的王丽',
    );
    await item.getByTestId('friend-request-profile').click();
    await profilePage(b, alice.userId).waitFor({ timeout: UI_TIMEOUT });
    await expect(b.getByTestId('profile-nickname').textContent()).resolves.toContain('王丽');
    await expect(
      b.getByTestId('profile-request').getByTestId('friend-request-message').textContent(),
    ).resolves.toBe('你好，我是产品部的王丽');
  });

  it('accepts with a remark shown beside the nickname', async () => {
    // Back from her profile to 新的朋友 (a phone: no tab bar on sub-screens).
    await b.goBack();
    const item = b.locator(`[data-testid="friend-request-item"][data-from-user-id="${alice.userId}"]`);
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.getByTestId('friend-request-accept').click();
    await b.getByTestId('friend-request-remark').fill('丽丽');
    await expect(b.getByTestId('friend-request-remark-preview').textContent()).resolves.toContain(
      '丽丽（王丽）',
    );
    await b.getByTestId('friend-request-accept-confirm').click();
    await item.getByTestId('friend-request-status').waitFor({ timeout: UI_TIMEOUT });
    await b.goBack();
    await b.getByTestId('contact-list').waitFor({ timeout: UI_TIMEOUT });
    await expect(b.getByTestId('friend-requests-badge').count()).resolves.toBe(0);
  });

  it('lists each in the other’s contacts, with the remark on the accepting side', async () => {
    await openProfile(b, alice.userId);
    await expect(b.getByTestId('profile-remark').textContent()).resolves.toBe('丽丽');
    await expect(b.getByTestId('profile-nickname').textContent()).resolves.toContain('王丽');
    await b.goBack();
    await openProfile(a, bob.userId);
    await a.getByTestId('profile-remove-contact').waitFor({ timeout: UI_TIMEOUT });
  });

  it('lets the other block her, and her next message is refused with a clear notice', async () => {
    await openProfile(b, alice.userId);
    await b.getByTestId('block-user').click();
    await b.getByTestId('confirm-ok').click();
    await b.getByTestId('unblock-user').waitFor({ timeout: UI_TIMEOUT });

    await openProfile(a, bob.userId);
    await a.getByTestId('profile-send-message').click();
    await a.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
    await a.getByTestId('composer-input').fill('在吗？');
    await a.getByTestId('composer-send').click();
    const refused = a.getByTestId('message-blocked');
    await refused.waitFor({ timeout: UI_TIMEOUT });
    await expect(refused.textContent()).resolves.toContain('拒收');
  });

  it('shows her in his block list in the settings, where he can unblock her', async () => {
    await b.goto('/me/blocked');
    const list = b.getByTestId('blocked-list');
    await list.waitFor({ timeout: UI_TIMEOUT });
    const unblock = list.locator(`[data-testid="unblock-user"][data-user-id="${alice.userId}"]`);
    await unblock.click();
    await list.getByTestId('unblock-user').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });
});
