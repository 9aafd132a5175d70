import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustCall, staffUser } from '../../packages/server/src/testing/factories.ts';
import { eventually } from '../support.ts';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import {
  drawPng,
  FAKE_MEDIA_ARGS,
  lastMessage,
  openChatWith,
  openSelfChat,
  randomFile,
  throttleUploads,
} from './files-ui.ts';
import { befriendThroughUi, conversationWith, registerThroughUi, UI_TIMEOUT, type UiUser } from './ui.ts';

const SHOTS = '/tmp/zx-files-e2e';
const DISCLAIMER = '文件将发送到您的其他终端。请勿传输涉密文件，传输记录将被留存备查。';

/**
 * Files in the browser, end to end: 王丽 (desktop) sends 陈波 (phone) an image, which he sees as a
 * thumbnail and opens in the viewer; she sends a file to herself through 文件传输助手 and must
 * accept the operator's disclaimer first (the acceptance is evidence in the audit log); she records
 * a voice message with Chromium's fake microphone, which he sees with its duration; and a
 * throttled upload of a few MB is paused and resumed and still completes. Steps of one story.
 */
describe.skipIf(browserUnavailable)('web client: files and media', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let a: Page;
  let b: Page;
  let alice: UiUser;
  let bob: UiUser;

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png` });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startWebServer();
    browser = await launchBrowser(FAKE_MEDIA_ARGS);
    const desk = await newContext(browser, server, 'desktop');
    const phone = await newContext(browser, server, 'phone');
    contexts.push(desk, phone);
    [a, b] = await Promise.all([desk.newPage(), phone.newPage()]);
    alice = await registerThroughUi(a, server, '王丽');
    bob = await registerThroughUi(b, server, '陈波');
    await befriendThroughUi(a, alice, b, bob);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((x) => x.close()));
    await browser?.close();
    await server?.app.close();
  });

  it('sends an image that the friend sees as a thumbnail and opens in the viewer', async () => {
    await openChatWith(a, bob.userId);
    const png = await drawPng(a, 800, 600, '致信 图片');
    await a
      .getByTestId('attach-media-input')
      .setInputFiles({ name: '方案.png', mimeType: 'image/png', buffer: png });
    const sent = lastMessage(a).getByTestId('image-bubble');
    await sent.and(a.locator('[data-state="ready"]')).waitFor({ timeout: UI_TIMEOUT * 2 });
    await shot(a, 'desktop-image-sent');

    await b.goto('/chats');
    await conversationWith(b, alice.nickname).click();
    const thumb = lastMessage(b).getByTestId('image-bubble');
    await thumb.and(b.locator('[data-state="ready"]')).waitFor({ timeout: UI_TIMEOUT });
    const box = await thumb.boundingBox();
    // 800 × 600 shown within 220 × 280 keeps its 4:3 shape.
    expect(Math.round(((box?.width ?? 0) / (box?.height ?? 1)) * 3)).toBe(4);
    await shot(b, 'mobile-image-received');

    await thumb.click();
    const viewer = b.getByTestId('image-viewer');
    await viewer.waitFor({ timeout: UI_TIMEOUT });
    await b.locator('[data-testid="viewer-image"][data-full="true"]').waitFor({ timeout: UI_TIMEOUT });
    await b.getByTestId('viewer-zoom-in').click();
    await b.getByTestId('viewer-rotate').click();
    const image = b.getByTestId('viewer-image');
    await expect(image.getAttribute('data-scale')).resolves.toBe('1.25');
    await expect(image.getAttribute('data-rotate')).resolves.toBe('90');
    await shot(b, 'mobile-image-viewer');
    await b.getByTestId('viewer-close').click();
    await viewer.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  });

  it('asks for the operator’s disclaimer before sending a file to oneself, and logs the acceptance', async () => {
    const operator = await staffUser(server.app, 'operator');
    await mustCall(
      server.app,
      'files.updateSettings',
      { disclaimer: { enabled: true, scope: 'crossTerminal', text: DISCLAIMER } },
      operator.accessToken,
    );
    await openSelfChat(a);
    const selfChatId = await a.getByTestId('chat-view').getAttribute('data-conversation-id');
    const report = Buffer.from('本周完成：文件传输。\n'.repeat(50));
    const created = a.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/uploads'));
    await a.getByTestId('attach-file-input').setInputFiles({
      name: '周报.txt',
      mimeType: 'text/plain',
      buffer: report,
    });
    const dialog = a.getByTestId('disclaimer-dialog');
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await expect(a.getByTestId('disclaimer-text').textContent()).resolves.toBe(DISCLAIMER);
    await shot(a, 'desktop-disclaimer');
    await a.getByTestId('disclaimer-accept').click();
    // The browser hashed the file: the server refuses it should the bytes it got differ.
    const metadata = (await created).headers()['upload-metadata'] ?? '';
    const sha256 = createHash('sha256').update(report).digest('hex');
    expect(metadata.split(',')).toContain(`sha256 ${Buffer.from(sha256).toString('base64')}`);

    const file = lastMessage(a).getByTestId('file-bubble');
    await file.waitFor({ timeout: UI_TIMEOUT * 2 });
    await expect(file.getByTestId('file-name').textContent()).resolves.toBe('周报.txt');
    await shot(a, 'desktop-file-self-chat');

    const auditor = await staffUser(server.app, 'auditor');
    await eventually(async () => {
      const page = await mustCall(
        server.app,
        'audit.list',
        { category: 'file', action: 'file.disclaimer.accept' },
        auditor.accessToken,
      );
      const mine = page.records.filter((r) => r.actorId === alice.userId);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.conversationId).toBe(selfChatId);
    }, UI_TIMEOUT);
  });

  it('records a voice message that the friend sees with its duration', async () => {
    await openChatWith(a, bob.userId);
    await a.getByTestId('composer-voice').click();
    await a.getByTestId('voice-recorder').waitFor({ timeout: UI_TIMEOUT });
    await a.waitForTimeout(2_500);
    await shot(a, 'desktop-voice-recording');
    await a.getByTestId('voice-send').click();
    await lastMessage(a)
      .getByTestId('voice-bubble')
      .waitFor({ timeout: UI_TIMEOUT * 2 });

    const voice = lastMessage(b).getByTestId('voice-bubble');
    await voice.waitFor({ timeout: UI_TIMEOUT });
    const ms = Number(await voice.getAttribute('data-duration-ms'));
    expect(ms).toBeGreaterThanOrEqual(2_000);
    expect(ms).toBeLessThan(10_000);
    await expect(voice.getByTestId('voice-duration').textContent()).resolves.toMatch(/^\d+″$/);
    // The waveform comes from the decoded recording.
    await b.locator('[data-testid="voice-waveform"] > span').first().waitFor({ timeout: UI_TIMEOUT });
    await shot(b, 'mobile-voice-received');
  });

  it('pauses and resumes an upload of a few MB, showing progress, and sends it', async () => {
    await openChatWith(a, bob.userId);
    const cdp = await throttleUploads(a, 1_000_000);
    await a.getByTestId('attach-file-input').setInputFiles({
      name: '数据包.bin',
      mimeType: 'application/octet-stream',
      buffer: randomFile(5 * 1024 ** 2),
    });
    const upload = a.getByTestId('upload-item');
    const progress = () => upload.getByTestId('upload-progress').getAttribute('aria-valuenow').then(Number);
    await upload.waitFor({ timeout: UI_TIMEOUT });
    await eventually(async () => expect(await progress()).toBeGreaterThan(0), UI_TIMEOUT);
    await upload.getByTestId('upload-pause').click();
    await a.locator('[data-testid="upload-item"][data-state="paused"]').waitFor({ timeout: UI_TIMEOUT });
    const paused = await progress();
    expect(paused).toBeLessThan(100);
    await shot(a, 'desktop-upload-paused');
    await a.waitForTimeout(1_500);
    // While paused, nothing moves.
    expect(await progress()).toBe(paused);

    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await upload.getByTestId('upload-resume').click();
    const file = lastMessage(a).getByTestId('file-bubble');
    await file.waitFor({ timeout: UI_TIMEOUT * 2 });
    await expect(file.getByTestId('file-name').textContent()).resolves.toBe('数据包.bin');
    await expect(a.getByTestId('upload-item').count()).resolves.toBe(0);
    await lastMessage(b).getByTestId('file-bubble').waitFor({ timeout: UI_TIMEOUT });
    await shot(b, 'mobile-file-received');
  });

  it('shows an interrupted upload again after a reload, finishes it and sends it once', async () => {
    await openChatWith(a, bob.userId);
    const cdp = await throttleUploads(a, 500_000);
    await a.getByTestId('attach-file-input').setInputFiles({
      name: '刷新后继续.bin',
      mimeType: 'application/octet-stream',
      buffer: randomFile(3 * 1024 ** 2),
    });
    const upload = a.getByTestId('upload-item');
    await eventually(async () => {
      expect(
        Number(await upload.getByTestId('upload-progress').getAttribute('aria-valuenow')),
      ).toBeGreaterThan(0);
    }, UI_TIMEOUT);
    await a.reload();
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const sent = a.getByTestId('message-item').filter({ hasText: '刷新后继续.bin' });
    await sent.getByTestId('file-bubble').waitFor({ timeout: UI_TIMEOUT * 2 });
    await expect(sent.count()).resolves.toBe(1);
    await expect(a.getByTestId('upload-item').count()).resolves.toBe(0);
  });
});
