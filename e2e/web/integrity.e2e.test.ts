import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, signUp } from '../support.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { conversationWith, loginThroughUi, messageWithText, sdkPeer, UI_TIMEOUT, type Peer } from './ui.ts';

/**
 * Message integrity (issue 6): a message whose row was edited in the database reaches the web client
 * flagged, and the chat shows a warning in its place instead of the forged content.
 */
describe.skipIf(browserUnavailable)('web client: a tampered message', () => {
  let server: WebServer;
  let browser: Browser;
  let peer: Peer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    peer = await sdkPeer(server, '周芳');
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await peer?.client.close();
    await browser?.close();
    await server?.app.close();
  });

  it('shows "此消息已被篡改" in place of a message whose content was swapped in the database', async () => {
    const reader = await signUp(server, newClient(server, 'reader'), '吴刚');
    const group = await peer.client.conversations.createGroup('核对组', [reader.userId]);
    for (const text of ['第一条', '第二条', '第三条']) await peer.client.messages.sendText(group.id, text);
    // Someone with database access makes the second message say what the first said.
    const db = server.app.platform.db;
    const first = await db
      .selectFrom('messages')
      .select('content_enc')
      .where('conversation_id', '=', group.id)
      .where('seq', '=', 1)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('messages')
      .set({ content_enc: first.content_enc })
      .where('conversation_id', '=', group.id)
      .where('seq', '=', 2)
      .execute();

    const context = await newContext(browser, server, 'desktop');
    contexts.push(context);
    const page = await context.newPage();
    await loginThroughUi(page, { phone: reader.phone.replace(/^\+86/, ''), password: reader.password });
    await conversationWith(page, '核对组').click();
    await messageWithText(page, '第三条').waitFor({ timeout: UI_TIMEOUT });
    const warning = page.locator(
      '[data-testid="message-item"][data-seq="2"] [data-testid="message-tampered"]',
    );
    await warning.waitFor({ timeout: UI_TIMEOUT });
    await expect(warning.textContent()).resolves.toContain('此消息已被篡改');
    // The forged copy of the first message's text is not shown.
    await expect(messageWithText(page, '第一条').count()).resolves.toBe(1);
    const records = await server.app.services.audit.list({ action: 'security.message_tampered', limit: 10 });
    expect(records.records.map((r) => r.subject)).toEqual([`${group.id}:2`]);
  });
});
