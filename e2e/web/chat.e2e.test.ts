import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import {
  befriendThroughUi,
  conversationWith,
  loginThroughUi,
  messageAction,
  messageWithText,
  openProfile,
  recallMessage,
  registerThroughUi,
  sendText,
  UI_TIMEOUT,
  type UiUser,
} from './ui.ts';

/**
 * Two people meet in the web client: each registers in a browser of their own, one finds the other
 * by phone and sends a friend request that the other accepts, and they chat both ways with every operation showing on both sides (and on a second
 * device of the sender). The `it`s are steps of one story and run in order.
 */
describe.skipIf(browserUnavailable)('web client: two people chat', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let alice: UiUser;
  let bob: UiUser;

  const open = async (device: 'desktop' | 'phone' = 'desktop') => {
    const context = await newContext(browser, server, device);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    [a, b] = await Promise.all([open(), open()]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.app.close();
  });

  it('registers two users through the sign-up screen', async () => {
    alice = await registerThroughUi(a, server, '王丽');
    bob = await registerThroughUi(b, server, '陈波');
    await expect(a.getByTestId('shell-desktop').isVisible()).resolves.toBe(true);
    expect(alice.userId).not.toBe(bob.userId);
  });

  it('makes them friends: one finds the other by phone and asks, the other accepts', async () => {
    await befriendThroughUi(a, alice, b, bob);
    await openProfile(a, bob.userId);
    await expect(a.getByTestId('profile-nickname').textContent()).resolves.toContain('陈波');
    await openProfile(b, alice.userId);
    await expect(b.getByTestId('profile-nickname').textContent()).resolves.toContain('王丽');
  });

  it('opens the chat from the profile page and sends a message', async () => {
    await openProfile(a, bob.userId);
    await a.getByTestId('profile-send-message').click();
    await a.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
    await expect(a.getByTestId('chat-title').textContent()).resolves.toContain('陈波');
    await sendText(a, '你好，陈波，明天十点开会');
    const mine = messageWithText(a, '你好，陈波，明天十点开会');
    await expect(mine.getAttribute('data-mine')).resolves.toBe('true');
  });

  it('shows the new message in the receiver’s list with an unread badge', async () => {
    await b.getByTestId('nav-chats').click();
    const item = conversationWith(b, '王丽');
    await item.getByTestId('conversation-unread').waitFor({ timeout: UI_TIMEOUT });
    await expect(item.getByTestId('conversation-unread').textContent()).resolves.toBe('1');
  });

  it('opens the chat on the receiver’s side and replies', async () => {
    await conversationWith(b, '王丽').click();
    await messageWithText(b, '你好，陈波，明天十点开会').waitFor({ timeout: UI_TIMEOUT });
    await expect(messageWithText(b, '你好，陈波，明天十点开会').getAttribute('data-mine')).resolves.toBe(
      'false',
    );
    await sendText(b, '好的，我准时到');
  });

  it('shows the reply to the sender and marks the sender’s message as read', async () => {
    await messageWithText(a, '好的，我准时到').waitFor({ timeout: UI_TIMEOUT });
    const status = messageWithText(a, '你好，陈波，明天十点开会').getByTestId('message-read-status');
    await expect.poll(() => status.textContent(), { timeout: UI_TIMEOUT }).toBe('已读');
  });

  it('shows a reaction on both sides', async () => {
    // The quick reactions on top of the message menu.
    await messageWithText(a, '好的，我准时到').getByTestId('message-text').click({ button: 'right' });
    await a.getByTestId('message-actions').getByTestId('reaction-option').first().click();
    const onA = messageWithText(a, '好的，我准时到').getByTestId('message-reactions');
    const onB = messageWithText(b, '好的，我准时到').getByTestId('message-reactions');
    await onA.waitFor({ timeout: UI_TIMEOUT });
    await onB.waitFor({ timeout: UI_TIMEOUT });
    await expect(onB.textContent()).resolves.toBe(await onA.textContent());
  });

  it('shows an edit on both sides', async () => {
    await messageAction(b, messageWithText(b, '好的，我准时到'), 'edit');
    await b.getByTestId('composer-edit-banner').waitFor({ timeout: UI_TIMEOUT });
    await b.getByTestId('composer-input').fill('好的，我十点前到');
    await b.getByTestId('composer-send').click();
    for (const page of [a, b]) {
      const edited = messageWithText(page, '好的，我十点前到');
      await edited.getByTestId('message-edited').waitFor({ timeout: UI_TIMEOUT });
    }
  });

  it('recalls a message and shows the recalled notice to the receiver', async () => {
    await sendText(a, '这条发错了');
    await messageWithText(b, '这条发错了').waitFor({ timeout: UI_TIMEOUT });
    const seq = await recallMessage(a, messageWithText(a, '这条发错了'));
    const atB = b.locator(`[data-testid="message-item"][data-seq="${seq}"]`);
    await atB.getByTestId('message-recalled').waitFor({ timeout: UI_TIMEOUT });
    await expect(atB.getByTestId('message-text').count()).resolves.toBe(0);
  });

  it('shows the conversation on a second device of the sender, live', async () => {
    const a2 = await open();
    await loginThroughUi(a2, alice);
    await conversationWith(a2, '陈波').click();
    await messageWithText(a2, '好的，我十点前到').waitFor({ timeout: UI_TIMEOUT });
    await sendText(a, '第二台设备也能看到吗？');
    await messageWithText(a2, '第二台设备也能看到吗？').waitFor({ timeout: UI_TIMEOUT });
    await expect(messageWithText(a2, '第二台设备也能看到吗？').getAttribute('data-mine')).resolves.toBe(
      'true',
    );
  });
});
