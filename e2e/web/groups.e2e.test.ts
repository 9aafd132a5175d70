import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import {
  acceptFriendRequest,
  befriendThroughUi,
  registerThroughUi,
  sdkPeer,
  sendText,
  UI_TIMEOUT,
  type Peer,
  type UiUser,
} from './ui.ts';

/**
 * One group's life, in both layouts: 王丽 (desktop) creates a group with 陈波 (phone) and 张敏 (an
 * SDK peer), makes 张敏 an admin, and posts an announcement that 陈波 sees at the top of the chat.
 * She mutes everyone: 陈波's composer gives way to a clear notice (the server's refusal,
 * MEMBER_MUTED, is tested in groups.manage.test.ts) while the admin still speaks. 李强 (another desktop) joins by the group code at
 * /contacts/join-group?code=…, and 王丽 dissolves the group. The `it`s are steps of one story.
 */
describe.skipIf(browserUnavailable)('web client: groups', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let c: Page;
  let owner: UiUser;
  let member: UiUser;
  let joiner: UiUser;
  let admin: Peer;
  let groupId = '';

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    const desk = await newContext(browser, server, 'desktop');
    const phone = await newContext(browser, server, 'phone');
    const desk2 = await newContext(browser, server, 'desktop');
    contexts.push(desk, phone, desk2);
    [a, b, c] = await Promise.all([desk.newPage(), phone.newPage(), desk2.newPage()]);
    owner = await registerThroughUi(a, server, '王丽');
    member = await registerThroughUi(b, server, '陈波');
    joiner = await registerThroughUi(c, server, '李强');
    admin = await sdkPeer(server, '张敏');
    await befriendThroughUi(a, owner, b, member);
    await admin.client.friends.request(owner.userId, '我是张敏');
    await acceptFriendRequest(a, admin.userId);
  });

  afterAll(async () => {
    admin?.client.close();
    await Promise.all(contexts.map((x) => x.close()));
    await browser?.close();
    await server?.app.close();
  });

  const openInfo = async (page: Page) => {
    await page.getByTestId('chat-info').click();
    await page.getByTestId('group-info').waitFor({ timeout: UI_TIMEOUT });
  };

  it('creates a group with two members', async () => {
    await a.getByTestId('nav-contacts').click();
    await a.getByTestId('group-create').click();
    await a.getByTestId('group-create-title').fill('发布小组');
    await a.locator(`[data-testid="group-create-member"][data-user-id="${member.userId}"]`).click();
    await a.locator(`[data-testid="group-create-member"][data-user-id="${admin.userId}"]`).click();
    await a.getByTestId('group-create-submit').click();
    const view = a.getByTestId('chat-view');
    await view.waitFor({ timeout: UI_TIMEOUT });
    groupId = (await view.getAttribute('data-conversation-id')) ?? '';
    expect(groupId).not.toBe('');
    await expect(a.getByTestId('chat-title').textContent()).resolves.toContain('发布小组');
  });

  it('makes a member an admin from the member actions', async () => {
    await openInfo(a);
    const row = a.locator(`[data-testid="group-member-row"][data-user-id="${admin.userId}"]`);
    await row.getByTestId('group-member-actions').click();
    await a.getByTestId('group-set-admin').click();
    await row.locator('[data-testid="group-role"][data-role="admin"]').waitFor({ timeout: UI_TIMEOUT });
    const members = await admin.client.conversations.members(groupId);
    expect(members.find((m) => m.userId === admin.userId)?.role).toBe('admin');
  });

  it('changes the group picture from the info panel', async () => {
    // Any picture will do: a QR code rendered as PNG is one without a fixture file.
    const png = await QRCode.toBuffer('发布小组', { width: 320 });
    await a
      .getByTestId('group-avatar-upload')
      .setInputFiles({ name: 'group.png', mimeType: 'image/png', buffer: png });
    await a
      .locator('[data-testid="group-avatar"] img[src^="/api/v1/images/"]')
      .waitFor({ timeout: UI_TIMEOUT });
    const group = await admin.client.conversations.get(groupId);
    expect(group.group?.avatarImageId).toBeTruthy();
  });

  it('posts an announcement that members see at the top of the chat', async () => {
    await a.getByTestId('group-announcement-edit').click();
    await a.getByTestId('group-announcement-input').fill('周五晚上发版，请大家提前自测');
    await a.getByTestId('group-announcement-save').click();
    await expect(
      a.getByTestId('group-announcement-text').textContent({ timeout: UI_TIMEOUT }),
    ).resolves.toContain('周五晚上发版');
    // 陈波 is still on the new-friends screen: he opens the chat from the list.
    await b.goto('/chats');
    await b.locator(`[data-testid="conversation-item"][data-conversation-id="${groupId}"]`).click();
    const bar = b.getByTestId('group-announcement');
    await bar.waitFor({ timeout: UI_TIMEOUT });
    await expect(bar.textContent()).resolves.toContain('周五晚上发版，请大家提前自测');
    await b
      .locator('[data-testid="message-system"][data-event="announcement"]')
      .waitFor({ timeout: UI_TIMEOUT });
  });

  it('mutes everyone: a member cannot send and is told why', async () => {
    await sendText(b, '收到');
    await a.getByTestId('group-mute-all').click();
    const notice = b.getByTestId('group-send-blocked');
    await notice.waitFor({ timeout: UI_TIMEOUT });
    await expect(notice.textContent()).resolves.toContain('全员禁言');
    await expect(b.getByTestId('composer-input').count()).resolves.toBe(0);
    // The admin may still speak.
    await admin.client.messages.sendText(groupId, '管理员可以发言');
    await b.getByTestId('message-text').getByText('管理员可以发言').waitFor({ timeout: UI_TIMEOUT });
  });

  it('lets a third user join by the group code', async () => {
    await a.getByTestId('group-qr-show').click();
    const qr = a.getByTestId('group-qr');
    await qr.waitFor({ timeout: UI_TIMEOUT });
    const code = (await qr.getAttribute('data-code')) ?? '';
    expect(code.startsWith('ZX1.g.')).toBe(true);
    await c.goto(`/contacts/join-group?code=${encodeURIComponent(code)}`);
    await c.getByTestId('join-group-view').waitFor({ timeout: UI_TIMEOUT });
    await expect(c.getByTestId('join-group-title').textContent({ timeout: UI_TIMEOUT })).resolves.toBe(
      '发布小组',
    );
    await c.getByTestId('join-group-submit').click();
    const view = c.locator(`[data-testid="chat-view"][data-conversation-id="${groupId}"]`);
    await view.waitFor({ timeout: UI_TIMEOUT });
    // Joined while everyone is muted: the newcomer is told too.
    await c.getByTestId('group-send-blocked').waitFor({ timeout: UI_TIMEOUT });
    const members = await admin.client.conversations.members(groupId);
    expect(members.map((m) => m.userId)).toContain(joiner.userId);
  });

  it('dissolves the group: everyone is told and the history stays', async () => {
    await a.getByTestId('group-dissolve').click();
    await a
      .locator('.ant-modal-confirm-btns .ant-btn-dangerous, .ant-modal-confirm-btns .ant-btn-primary')
      .last()
      .click();
    await a
      .locator('[data-testid="group-send-blocked"][data-reason="dissolved"]')
      .waitFor({ timeout: UI_TIMEOUT });
    await b
      .locator('[data-testid="message-system"][data-event="dissolved"]')
      .waitFor({ timeout: UI_TIMEOUT });
    await b
      .locator('[data-testid="group-send-blocked"][data-reason="dissolved"]')
      .waitFor({ timeout: UI_TIMEOUT });
    await b.getByTestId('message-text').getByText('收到').waitFor({ timeout: UI_TIMEOUT });
    const refused = await admin.client.messages.sendText(groupId, '还在吗').then(
      () => null,
      (err: { code?: string }) => err.code,
    );
    expect(refused).toBe('GROUP_DISSOLVED');
  });
});
