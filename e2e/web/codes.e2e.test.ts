import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchBrowser, newContext, startWebServer, type WebServer } from './browser.ts';
import { myUserId, registerThroughUi, sdkPeer, shell, UI_TIMEOUT, type Peer, type UiUser } from './ui.ts';

/** A picture of a QR code, as a phone's photo album would hold it. */
async function qrPng(text: string): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  return {
    name: 'qr.png',
    mimeType: 'image/png',
    buffer: await QRCode.toBuffer(text, { width: 480, margin: 4 }),
  };
}

/** Discover → 扫一扫 → pick the picture of `text`'s QR code. */
async function scanFromFile(page: Page, text: string): Promise<void> {
  await page.goto('/discover');
  await page.getByTestId('scan-entry').click();
  await page.getByTestId('scan-file-input').setInputFiles(await qrPng(text));
}

/**
 * Security codes in the browser: a desktop signs in by quick login (its QR code scanned from a
 * picture by a signed-in phone, which proves the decoder), and scanning codes opens what they name.
 */
describe.skipIf(browserUnavailable)('web client: security codes', () => {
  let server: WebServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let phone: Page;
  let desktop: Page;
  let me: UiUser;
  let peer: Peer;

  const open = async (device: 'desktop' | 'phone') => {
    const context = await newContext(browser, server, device);
    contexts.push(context);
    return context.newPage();
  };

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchBrowser();
    [phone, desktop] = await Promise.all([open('phone'), open('desktop')]);
    me = await registerThroughUi(phone, server, '扫码人');
    peer = await sdkPeer(server, '码主');
  });

  afterAll(async () => {
    await peer?.client.close();
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.app.close();
  });

  it('signs a desktop in when the phone scans its QR code and allows it', async () => {
    await desktop.goto('/login');
    await desktop.getByTestId('quick-login-tab').click();
    const qr = desktop.getByTestId('quick-login-qr');
    await qr.waitFor({ timeout: UI_TIMEOUT });
    const code = await qr.getAttribute('data-code');
    expect(code).toMatch(/^ZX1\.l\./);

    await scanFromFile(phone, code ?? '');
    await phone.getByTestId('quick-login-confirm').waitFor({ timeout: UI_TIMEOUT });
    // The confirmation names the desktop (the device name its browser reported at start).
    await expect(phone.getByTestId('quick-login-confirm-screen').textContent()).resolves.toMatch(
      /将在 .+ 上登录致信/,
    );
    const status = desktop.getByTestId('quick-login-status');
    await desktop
      .locator('[data-testid="quick-login-status"][data-state="scanned"]')
      .waitFor({ timeout: UI_TIMEOUT });
    await expect(status.textContent()).resolves.toContain('已扫描，请在手机上确认');

    await phone.getByTestId('quick-login-confirm').click();
    // The phone shows its answer only briefly (then returns to the scanner): look at once, before
    // waiting for the desktop, which on a loaded machine can take longer than that.
    await expect(phone.getByTestId('scan-result').textContent()).resolves.toContain('已允许登录');
    await shell(desktop).waitFor({ timeout: UI_TIMEOUT });
    expect(await myUserId(desktop)).toBe(me.userId);
  });

  it('opens the profile of the user whose code is scanned', async () => {
    const { code } = await peer.client.codes.mine();
    await scanFromFile(phone, code);
    await phone
      .locator(`[data-testid="profile-page"][data-user-id="${peer.userId}"]`)
      .waitFor({ timeout: UI_TIMEOUT });
  });

  it('opens the chat with the prepared message from a directed-transfer code', async () => {
    const { code } = await peer.client.codes.createTransfer({
      targetUserId: peer.userId,
      message: '我要报名周六的培训',
    });
    await scanFromFile(phone, code);
    await phone.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
    await expect(phone.getByTestId('composer-input').inputValue()).resolves.toBe('我要报名周六的培训');
  });

  it('says so when the code was replaced', async () => {
    const { code: old } = await peer.client.codes.mine();
    await peer.client.codes.refreshMine();
    await scanFromFile(phone, old);
    const result = phone.getByTestId('scan-result');
    await phone.getByText('二维码无效或已失效').waitFor({ timeout: UI_TIMEOUT });
    await expect(result.textContent()).resolves.toContain('二维码无效或已失效');
  });
});
