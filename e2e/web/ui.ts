import { randomInt } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { normalizePhone } from '../../packages/server/src/modules/users/index.ts';
import { lastSmsCode } from '../../packages/server/src/testing/sms.ts';
import type { ZhixinClient } from '@zhixin/sdk';
import { eventually, newClient, signUp } from '../support.ts';
import type { WebServer } from './browser.ts';

/** Generous: two browsers, a server and vitest share two cores. */
export const UI_TIMEOUT = 15_000;

/**
 * For a whole cold start of the app (a reload that parses and runs every chunk again, here through
 * the service worker): on a loaded CI machine that alone has taken over 15 s. What such a test proves
 * is that the start works (offline, from the cache), not how fast: speed is the `ui` benchmark's.
 */
export const COLD_START_TIMEOUT = 45_000;

export interface UiUser {
  nickname: string;
  /** As a person types it: 11 digits. */
  phone: string;
  password: string;
  userId: string;
}

/** A mainland mobile number as typed (11 digits), unlikely to collide between tests. */
export function localPhone(): string {
  return `1${randomInt(3, 10)}${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

/** The SMS code the dev provider "sent", once it has been sent. */
export async function smsCode(server: WebServer, phone: string, purpose: string): Promise<string> {
  let code = '';
  await eventually(() => {
    code = lastSmsCode(server.app, normalizePhone(phone), purpose);
  }, UI_TIMEOUT);
  return code;
}

/** The signed-in shell of either layout. */
export function shell(page: Page): Locator {
  return page.locator('[data-testid="shell-desktop"], [data-testid="shell-mobile"]');
}

/** The signed-in user's id as the web client stored it (session.ts keeps the profile in localStorage). */
export async function myUserId(page: Page): Promise<string> {
  const id = await page.evaluate(() => {
    const raw = window.localStorage.getItem('zhixin:me');
    return raw ? (JSON.parse(raw) as { id?: string }).id : undefined;
  });
  if (!id) throw new Error('no signed-in user in this page');
  return id;
}

/** Register through the sign-up screen: phone, SMS code (from the dev provider), nickname, password. */
export async function registerThroughUi(page: Page, server: WebServer, nickname: string): Promise<UiUser> {
  const phone = localPhone();
  const password = `pw-${randomInt(1e9)}-Zx`;
  await page.goto('/login');
  await page.getByTestId('link-register').click();
  await page.getByTestId('register-phone').fill(phone);
  await page.getByTestId('register-sms-send').click();
  await page.getByTestId('register-code').fill(await smsCode(server, phone, 'register'));
  await page.getByTestId('register-nickname').fill(nickname);
  await page.getByTestId('register-password').fill(password);
  await page.getByTestId('register-submit').click();
  await shell(page).waitFor({ timeout: UI_TIMEOUT });
  return { nickname, phone, password, userId: await myUserId(page) };
}

/** Log in by phone and password on the sign-in screen. */
export async function loginThroughUi(page: Page, user: Pick<UiUser, 'phone' | 'password'>): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-phone').fill(user.phone);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await shell(page).waitFor({ timeout: UI_TIMEOUT });
}

/** Contacts → 添加朋友 → search by phone or 致信号; ends with the found user's card shown. */
export async function findUser(page: Page, query: string): Promise<Locator> {
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('contact-add').click();
  await page.getByTestId('contact-add-phone').fill(query);
  await page.getByTestId('contact-add-search').click();
  const result = page.getByTestId('contact-add-result');
  await result.waitFor({ timeout: UI_TIMEOUT });
  return result;
}

/** Find a user by phone and send a friend request (with `message`, if given, and my remark for them). */
export async function sendFriendRequest(
  page: Page,
  phone: string,
  opts: { message?: string; remark?: string } = {},
): Promise<void> {
  await findUser(page, phone);
  if (opts.message !== undefined) await page.getByTestId('friend-request-message-input').fill(opts.message);
  if (opts.remark !== undefined) await page.getByTestId('contact-add-remark').fill(opts.remark);
  await page.getByTestId('contact-add-confirm').click();
  await page.getByTestId('friend-request-sent').waitFor({ timeout: UI_TIMEOUT });
}

/** Contacts → 新的朋友: the request from this user to me, once it shows. */
export async function openRequestFrom(page: Page, fromUserId: string): Promise<Locator> {
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('friend-requests').click();
  const item = page.locator(`[data-testid="friend-request-item"][data-from-user-id="${fromUserId}"]`);
  await item.waitFor({ timeout: UI_TIMEOUT });
  return item;
}

/** Accept the request from this user in 新的朋友, with my remark for them if given. */
export async function acceptFriendRequest(page: Page, fromUserId: string, remark?: string): Promise<void> {
  const item = await openRequestFrom(page, fromUserId);
  await item.getByTestId('friend-request-accept').click();
  if (remark !== undefined) await page.getByTestId('friend-request-remark').fill(remark);
  await page.getByTestId('friend-request-accept-confirm').click();
  await item.getByTestId('friend-request-status').waitFor({ timeout: UI_TIMEOUT });
}

/** Make two signed-in pages friends: `a` finds `b` by phone and asks, `b` accepts in 新的朋友. */
export async function befriendThroughUi(a: Page, aUser: UiUser, b: Page, bUser: UiUser): Promise<void> {
  await sendFriendRequest(a, bUser.phone);
  await acceptFriendRequest(b, aUser.userId);
}

/** Contacts → the contact's profile page. */
export async function openProfile(page: Page, userId: string): Promise<void> {
  await page.getByTestId('nav-contacts').click();
  await page.locator(`[data-testid="contact-item"][data-user-id="${userId}"]`).click();
  await page
    .locator(`[data-testid="profile-page"][data-user-id="${userId}"]`)
    .waitFor({ timeout: UI_TIMEOUT });
}

/** Type into the composer and send with the send button. */
export async function sendText(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  await messageWithText(page, text).waitFor({ timeout: UI_TIMEOUT });
}

/** The message item (in the open chat) whose text is exactly `text`. */
export function messageWithText(page: Page, text: string): Locator {
  return page
    .getByTestId('message-item')
    .filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

/** The conversation-list item that mentions `text` (a name or the last message). */
export function conversationWith(page: Page, text: string): Locator {
  return page.getByTestId('conversation-item').filter({ hasText: text });
}

/** Open a message's action menu: right-click on desktop (the mobile long-press is not used here). */
export async function messageAction(page: Page, message: Locator, action: string): Promise<void> {
  await message.getByTestId('message-text').click({ button: 'right' });
  await page.getByTestId(`message-action-${action}`).click();
}

/**
 * Recall the message with `seq` from its action menu: the UI may ask for confirmation first;
 * either way the message ends up showing the recalled notice.
 */
export async function recallMessage(page: Page, message: Locator): Promise<string> {
  const seq = await message.getAttribute('data-seq');
  if (!seq) throw new Error('message-item without data-seq');
  await messageAction(page, message, 'recall');
  const recalled = page.locator(
    `[data-testid="message-item"][data-seq="${seq}"] [data-testid="message-recalled"]`,
  );
  const confirm = page.locator(
    '.ant-modal-confirm-btns .ant-btn-primary, .ant-popconfirm-buttons .ant-btn-primary, .adm-dialog-button-bold',
  );
  await recalled.or(confirm).first().waitFor({ timeout: UI_TIMEOUT });
  if (await confirm.first().isVisible()) await confirm.first().click();
  await recalled.waitFor({ timeout: UI_TIMEOUT });
  return seq;
}

export interface Peer {
  client: ZhixinClient;
  userId: string;
  /** 11 digits, as typed into a search box. */
  phone: string;
  nickname: string;
}

/** Someone on the other end, driven through the SDK (faster than a second browser). */
export async function sdkPeer(server: WebServer, nickname: string): Promise<Peer> {
  const client = newClient(server, `${nickname}-sdk`);
  const user = await signUp(server, client, nickname);
  await client.connect();
  return { client, userId: user.userId, phone: user.phone.replace(/^\+86/, ''), nickname };
}

/** Resolves once this page's IndexedDB cache holds at least `count` messages (written asynchronously). */
export async function waitForCachedMessages(page: Page, count: number): Promise<void> {
  const userId = await myUserId(page);
  await page.waitForFunction(
    async ({ db, min }) => {
      // Opening a database that does not exist would create it behind Dexie's back.
      if (!(await indexedDB.databases()).some((d) => d.name === db)) return false;
      const open = indexedDB.open(db);
      const conn = await new Promise<IDBDatabase>((resolve, reject) => {
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      try {
        if (!conn.objectStoreNames.contains('messages')) return false;
        const req = conn.transaction('messages').objectStore('messages').count();
        const n = await new Promise<number>((resolve, reject) => {
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        return n >= min;
      } finally {
        conn.close();
      }
    },
    { db: `zhixin-${userId}`, min: count },
    { timeout: UI_TIMEOUT, polling: 200 },
  );
}
