import { randomBytes } from 'node:crypto';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { UI_TIMEOUT } from './ui.ts';

/** Chromium flags for a fake microphone (a beep) that needs no permission prompt. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** A PNG drawn by the page's own canvas (a gradient with a label), as file bytes. */
export async function drawPng(page: Page, width: number, height: number, label: string): Promise<Buffer> {
  const base64 = await page.evaluate(
    ({ w, h, text }) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d canvas');
      const g = ctx.createLinearGradient(0, 0, w, h);
      g.addColorStop(0, '#1677ff');
      g.addColorStop(1, '#52c41a');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, w, h);
      ctx.fillStyle = '#fff';
      ctx.font = `${Math.round(h / 8)}px sans-serif`;
      ctx.fillText(text, w / 10, h / 2);
      return canvas.toDataURL('image/png').split(',')[1] ?? '';
    },
    { w: width, h: height, text: label },
  );
  return Buffer.from(base64, 'base64');
}

/** Incompressible bytes of a given size (a file that takes a while to upload). */
export function randomFile(bytes: number): Buffer {
  return randomBytes(bytes);
}

/** Desktop: contacts → the contact's profile → 发消息; resolves once the chat is open. */
export async function openChatWith(page: Page, userId: string): Promise<void> {
  await page.getByTestId('nav-contacts').click();
  await page.locator(`[data-testid="contact-item"][data-user-id="${userId}"]`).click();
  await page.getByTestId('profile-send-message').click();
  await page.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
}

/** Desktop: contacts → 文件传输助手 (the self chat). */
export async function openSelfChat(page: Page): Promise<void> {
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('file-transfer').click();
  await page.getByTestId('chat-view').waitFor({ timeout: UI_TIMEOUT });
}

/** The last server message in the open chat (not a pending upload). */
export function lastMessage(page: Page): Locator {
  return page.locator('[data-testid="message-item"][data-seq]:not([data-seq=""])').last();
}

/** Slow the page's uploads down (Chrome DevTools Protocol), so pausing one can be seen. */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return cdp;
}
