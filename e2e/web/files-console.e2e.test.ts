import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileInfo, MessageContent } from '@zhixin/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { videoWebm, voiceOgg } from '../../packages/server/src/modules/filerefs/filerefs.testing.ts';
import { mustCall, staffUser, type TestUser } from '../../packages/server/src/testing/factories.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { gradientPng } from './files-seed.ts';
import { lastMessage } from './files-ui.ts';
import {
  conversationWith,
  loginThroughUi,
  registerThroughUi,
  sdkPeer,
  UI_TIMEOUT,
  type Peer,
  type UiUser,
} from './ui.ts';

/** Where to write screenshots of the chat and the evidence console (unset: none). */
const SHOTS = process.env.ZX_FILES_SHOTS;
const DAY_MS = 86_400_000;

/**
 * Files in the browser beyond sending: 周敏 (through the SDK) sends 吴刚 a photo, a document, a
 * voice message and a video; he plays the video full screen, clears his local cache, and sees
 * "file expired" once the retention job removed a file. An auditor then finds the transfers in the
 * evidence console by user and by file hash, traces the document across a forward, and verifies
 * the hash chain.
 */
describe.skipIf(browserUnavailable)(
  'web client: video, retention, local cache and the evidence console',
  () => {
    let server: WebServer;
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    let page: Page;
    let me: UiUser;
    let peer: Peer;
    let third: Peer;
    let chatId: string;
    let doc: { file: FileInfo; seq: number };

    const shot = async (p: Page, name: string) => {
      if (!SHOTS) return;
      mkdirSync(SHOTS, { recursive: true });
      await p.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
    };

    /** Upload through the SDK (tus) and send it as `content(file)` in the chat with 吴刚. */
    async function sendFile(
      data: Buffer,
      name: string,
      mime: string,
      content: (f: FileInfo) => MessageContent,
    ): Promise<{ file: FileInfo; seq: number }> {
      const file = await peer.client.files.upload(data, { name, mime, conversationId: chatId }).promise;
      const message = await peer.client.messages.send(chatId, content(file));
      return { file, seq: message.seq };
    }

    beforeAll(async () => {
      server = await startWebServer();
      browser = await launchBrowser();
      const desk = await newContext(browser, server, 'desktop');
      contexts.push(desk);
      page = await desk.newPage();
      me = await registerThroughUi(page, server, '吴刚');
      peer = await sdkPeer(server, '周敏');
      third = await sdkPeer(server, '郑华');
      chatId = (await peer.client.conversations.openDirect(me.userId)).id;
      await sendFile(gradientPng(640, 400), '现场照片.png', 'image/png', (f) => ({
        kind: 'image',
        fileId: f.id,
        mime: f.mime,
        size: f.size,
        width: f.width ?? 640,
        height: f.height ?? 400,
      }));
      doc = await sendFile(Buffer.from('致信 项目周报\n'.repeat(200)), '项目周报.txt', 'text/plain', (f) => ({
        kind: 'file',
        fileId: f.id,
        name: f.name,
        mime: f.mime,
        size: f.size,
      }));
      await sendFile(await voiceOgg(3), '语音.ogg', 'audio/ogg', (f) => ({
        kind: 'voice',
        fileId: f.id,
        mime: f.mime,
        size: f.size,
        durationMs: f.durationMs ?? 3_000,
      }));
      await sendFile(await videoWebm(2), '演示.webm', 'video/webm', (f) => ({
        kind: 'video',
        fileId: f.id,
        mime: f.mime,
        size: f.size,
        durationMs: f.durationMs ?? 2_000,
        width: f.width ?? 320,
        height: f.height ?? 240,
      }));
    });

    afterAll(async () => {
      await Promise.all(contexts.map((c) => c.close()));
      await peer?.client.close();
      await third?.client.close();
      await browser?.close();
      await server?.app.close();
    });

    it('shows the photo, document, voice and video, and plays the video full screen', async () => {
      await conversationWith(page, peer.nickname).click();
      const video = lastMessage(page).getByTestId('video-bubble');
      await video.waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="image-bubble"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT });
      await page.locator('[data-testid="voice-waveform"] > span').first().waitFor({ timeout: UI_TIMEOUT });
      await expect(page.getByTestId('file-name').textContent()).resolves.toBe('项目周报.txt');
      await shot(page, 'desktop-chat-media');

      await video.click();
      await page.getByTestId('video-player').waitFor({ timeout: UI_TIMEOUT });
      const element = page.getByTestId('video-element');
      // Metadata arrived through the signed link (the server answers the player's Range requests).
      await expect
        .poll(() => element.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: UI_TIMEOUT })
        .toBeGreaterThanOrEqual(1);
      expect(await element.evaluate((v: HTMLVideoElement) => Math.round(v.duration))).toBe(2);
      await page.getByTestId('video-fullscreen').click();
      await expect
        .poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid') ?? null))
        .toBe('video-element');
      await page.evaluate(() => document.exitFullscreen());
      await page.getByTestId('viewer-close').click();
      await page.getByTestId('video-player').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    });

    it('shows the chat on a phone too', async () => {
      const phone = await newContext(browser, server, 'phone');
      contexts.push(phone);
      const p = await phone.newPage();
      await loginThroughUi(p, me);
      await conversationWith(p, peer.nickname).click();
      await lastMessage(p).getByTestId('video-bubble').waitFor({ timeout: UI_TIMEOUT });
      await p.locator('[data-testid="image-bubble"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT });
      await p.locator('[data-testid="voice-waveform"] > span').first().waitFor({ timeout: UI_TIMEOUT });
      await shot(p, 'mobile-chat-media');
    });

    it('clears the local cache from settings: the media and messages kept on this device go', async () => {
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('settings-menu-storage').click();
      const local = page.getByTestId('storage-local-used');
      await expect.poll(() => local.textContent()).not.toContain('…');
      const before = (await local.textContent()) ?? '';
      expect(before).not.toMatch(/\b0 B\b/);
      await shot(page, 'desktop-settings-storage');
      await page.getByTestId('storage-clear').click();
      await page.getByTestId('storage-clear-confirm').click();
      await expect.poll(() => local.textContent()).toMatch(/\b0 B\b/);
    });

    it('finds transfers by user and by file hash, traces a forward, and verifies the chain', async () => {
      // 周敏 forwards the document to 郑华: the same file, one more conversation.
      const toThird = (await peer.client.conversations.openDirect(third.userId)).id;
      await peer.client.messages.forward(toThird, { conversationId: chatId, seq: doc.seq });

      const auditor: TestUser = await staffUser(server.app, 'auditor');
      const context = await newContext(browser, server, 'desktop');
      contexts.push(context);
      const a = await context.newPage();
      await a.setViewportSize({ width: 1440, height: 900 });
      await loginThroughUi(a, auditor);
      await a.goto('/admin/evidence');
      await a.getByTestId('admin-evidence').waitFor({ timeout: UI_TIMEOUT });
      const rows = a.getByTestId('evidence-row');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(10);

      await a.getByTestId('evidence-actor').fill(me.userId);
      await a.getByTestId('evidence-search').click();
      // 吴刚 only downloaded (thumbnails, the voice, the video).
      await expect
        .poll(async () => new Set(await rows.evaluateAll((els) => els.map((e) => e.dataset.action))))
        .toEqual(new Set(['file.download']));

      await a.getByTestId('evidence-actor').fill('');
      await a.getByTestId('evidence-subject').fill(doc.file.sha256 ?? '');
      await a.getByTestId('evidence-search').click();
      await expect
        .poll(async () => (await rows.evaluateAll((els) => els.map((e) => e.dataset.action))).sort())
        .toEqual(['file.forward', 'file.send', 'file.upload']);
      await shot(a, 'desktop-evidence');

      await a.getByTestId('evidence-trace-link').first().click();
      const trace = a.getByTestId('evidence-trace');
      await expect
        .poll(async () => (await trace.locator('.ant-tag').allTextContents()).join(' '))
        .toBe('file.upload file.send file.forward');
      await shot(a, 'desktop-evidence-trace');
      await a.keyboard.press('Escape');
      await trace.waitFor({ state: 'detached', timeout: UI_TIMEOUT });

      // The export holds the filtered records: this document's three, as CSV rows after the header.
      const [download] = await Promise.all([
        a.waitForEvent('download'),
        a.getByTestId('evidence-export-csv').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^evidence-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync((await download.path()) ?? '', 'utf8');
      const lines = csv.trim().split(/\r?\n/);
      expect(lines).toHaveLength(4);
      expect(lines.slice(1).every((l) => l.includes(doc.file.sha256 ?? '-'))).toBe(true);

      await a.getByTestId('evidence-verify').click();
      const verdict = a.getByTestId('evidence-verification');
      await verdict.waitFor({ timeout: UI_TIMEOUT });
      await expect(verdict.getAttribute('class')).resolves.toContain('ant-alert-success');

      const phone = await newContext(browser, server, 'phone');
      contexts.push(phone);
      const p = await phone.newPage();
      await loginThroughUi(p, auditor);
      await p.goto('/admin/evidence');
      await p.getByTestId('evidence-row').first().waitFor({ timeout: UI_TIMEOUT });
      await shot(p, 'mobile-evidence');
    });

    it('shows "file expired" on every kind once the retention job removed the chat’s files', async () => {
      const operator = await staffUser(server.app, 'operator');
      const settings = await mustCall(server.app, 'files.settings', {}, operator.accessToken);
      await mustCall(
        server.app,
        'files.updateSettings',
        { retention: { ...settings.retention, directDays: 1 } },
        operator.accessToken,
      );
      await page.getByTestId('nav-chats').click();
      await conversationWith(page, peer.nickname).click();
      await lastMessage(page).getByTestId('video-bubble').waitFor({ timeout: UI_TIMEOUT });
      await expect(page.getByTestId('file-expired').count()).resolves.toBe(0);

      // Not due yet: the files are minutes old.
      expect(await server.app.services.fileRefs.runRetention()).toEqual({ files: 0, messages: 0 });
      const run = await server.app.services.fileRefs.runRetention(Date.now() + 2 * DAY_MS);
      // Photo, document, voice, video; the document's forward to 郑华 is a fifth message.
      expect(run).toEqual({ files: 4, messages: 5 });
      await expect.poll(() => page.getByTestId('file-expired').count()).toBe(4);
      await expect(page.getByTestId('image-bubble').count()).resolves.toBe(0);
      await expect(page.getByTestId('file-expired').nth(1).textContent()).resolves.toContain('项目周报.txt');
      await shot(page, 'desktop-chat-expired');
    });
  },
);
