import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TusTestClient } from '../../packages/server/src/modules/files/files.testing.ts';
import { mustCall, registerUser, type TestUser } from '../../packages/server/src/testing/factories.ts';
import { befriend } from '../../packages/server/src/testing/friends.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { openMoments, postWithText } from './moments-ui.ts';
import { conversationWith, loginThroughUi, messageWithText, openProfile, UI_TIMEOUT } from './ui.ts';

/**
 * Stored XSS in the browser: an attacker puts script into everything of theirs another person
 * sees (nickname, signature, a group's name and announcement, messages, a file name, a moment and
 * a comment). The victim's browser shows each as text: no dialog opens, no injected element or
 * `javascript:` link exists, and the page's `window.__xss` stays unset. Each payload carries a
 * `data-xss` attribute, so an element it managed to create would be found.
 */

const NICKNAME = '<svg data-xss onload=alert(1)>';
const SIGNATURE = '<img src=x data-xss onerror="window.__xss=1;alert(1)">签名';
const GROUP_TITLE = '<img src=x data-xss onerror="window.__xss=1">群';
const ANNOUNCEMENT = '<script>window.__xss=1;alert("公告")</script><b data-xss>公告</b>';
const MESSAGE = '<img src=x data-xss onerror="window.__xss=1;alert(1)"> [点我](javascript:alert(1)) 消息';
const LINK_MESSAGE = 'javascript:alert(document.domain)//https://zhixin.example';
const FILE_NAME = '<img src=x data-xss onerror=alert(1)>.txt';
const POST = '<iframe data-xss srcdoc="<script>parent.__xss=1</script>"></iframe>朋友圈';
const COMMENT = '<a data-xss href="javascript:alert(1)">评论</a>';

describe.skipIf(browserUnavailable)('web client: stored XSS renders as text', () => {
  let server: WebServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let attacker: TestUser;
  let victim: TestUser;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startWebServer();
    const { app } = server;
    attacker = await registerUser(app, { nickname: NICKNAME });
    victim = await registerUser(app, { nickname: '受害者' });
    await befriend(app, attacker, victim);
    const as = attacker.accessToken;
    await mustCall(app, 'users.updateMe', { signature: SIGNATURE }, as);
    const group = await mustCall(
      app,
      'groups.create',
      { title: GROUP_TITLE, memberIds: [victim.userId] },
      as,
    );
    await mustCall(app, 'groups.setAnnouncement', { conversationId: group.id, text: ANNOUNCEMENT }, as);
    const tus = new TusTestClient(server.baseUrl, as);
    const bytes = randomBytes(32);
    const { id: fileId } = await tus.upload(bytes, { filename: FILE_NAME, conversationId: group.id });
    const send = (content: unknown) =>
      mustCall(
        app,
        'messages.send',
        { conversationId: group.id, clientId: `xss-${randomBytes(6).toString('hex')}`, content },
        as,
      );
    await send({ kind: 'file', fileId, name: FILE_NAME, mime: 'text/plain', size: bytes.length });
    await send({ kind: 'text', text: LINK_MESSAGE });
    await send({ kind: 'text', text: MESSAGE });
    const post = await mustCall(app, 'moments.create', { text: POST, visibility: 'friends' }, as);
    await mustCall(app, 'moments.comment', { postId: post.id, text: COMMENT }, as);

    browser = await launchBrowser();
    context = await newContext(browser, server, 'desktop');
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await loginThroughUi(page, { phone: victim.phone.slice(-11), password: victim.password });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.app.close();
  });

  /** Nothing the payloads tried happened in the page. */
  async function expectNoInjection(): Promise<void> {
    const found = await page.evaluate(() => ({
      flag: (window as unknown as { __xss?: unknown }).__xss ?? null,
      injected: document.querySelectorAll('[data-xss]').length,
      scriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
      frames: document.querySelectorAll('iframe[srcdoc]').length,
    }));
    expect(found).toEqual({ flag: null, injected: 0, scriptLinks: 0, frames: 0 });
    expect(dialogs).toEqual([]);
  }

  it('shows the group name, messages, file name and announcement as text', async () => {
    const item = conversationWith(page, '群');
    await item.waitFor({ timeout: UI_TIMEOUT });
    await item.click();
    await page.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
    await messageWithText(page, MESSAGE).waitFor({ timeout: UI_TIMEOUT });
    await messageWithText(page, LINK_MESSAGE).waitFor({ timeout: UI_TIMEOUT });
    await page.getByText(FILE_NAME).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByText(GROUP_TITLE).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByText('公告', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    await expectNoInjection();
  });

  it("shows the attacker's nickname and signature as text", async () => {
    await openProfile(page, attacker.userId);
    await page.getByText(NICKNAME).first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByText(SIGNATURE).first().waitFor({ timeout: UI_TIMEOUT });
    await expectNoInjection();
  });

  it('shows the moment and its comment as text', async () => {
    await openMoments(page);
    const card = postWithText(page, '朋友圈');
    await card.waitFor({ timeout: UI_TIMEOUT });
    await card.getByText(POST).waitFor({ timeout: UI_TIMEOUT });
    await card.getByText(COMMENT, { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    await expectNoInjection();
  });
});
