/**
 * Helpers for media scenarios. They run INSIDE the network namespace (see netns-run.sh): a real
 * server with the web build (its Janus is started on first use, on loopback of the namespace),
 * SDK users, and Chromium with fake camera, microphone and screen.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { ZhixinClient } from '@zhixin/sdk';
import { newClient, signUp } from '../support.ts';
import { CHROMIUM_PATH, startWebServer, type WebServer } from '../web/browser.ts';
import { loginThroughUi, UI_TIMEOUT } from '../web/ui.ts';

export const SHOTS = process.env.ZX_MEDIA_SHOTS ?? '/tmp/zx-media-shots';

const MEDIA_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export function inNamespace(): void {
  if (process.env.ZX_IN_NETNS !== '1') throw new Error('media scenarios run inside netns-run.sh');
}

export function startMediaServer(): Promise<WebServer> {
  return startWebServer({ config: { media: { embeddedJanus: 'auto' } } });
}

export function launchMediaBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: MEDIA_ARGS });
}

export interface Person {
  client: ZhixinClient;
  userId: string;
  nickname: string;
  phone: string;
  password: string;
}

export async function person(server: WebServer, nickname: string): Promise<Person> {
  const client = newClient(server, `${nickname} 的电脑`);
  const user = await signUp(server, client, nickname);
  await client.connect();
  return {
    client,
    userId: user.userId,
    nickname,
    phone: user.phone.replace(/^\+86/, ''),
    password: user.password,
  };
}

export async function befriend(a: Person, b: Person): Promise<void> {
  const sent = await a.client.friends.request(b.userId, `我是${a.nickname}`);
  if (sent.outcome === 'pending' && sent.request) await b.client.friends.accept(sent.request.id);
}

export type Viewport = { width: number; height: number; mobile?: boolean };

/**
 * A signed-in page of `who`. Every RTCPeerConnection the page makes is kept in `window.__pcs`
 * (an init script, so the app needs no test hook) for getStats(). `noVp9` hides VP9/AV1 from
 * the page's sender capabilities, as on a browser without them (the VP8 simulcast fallback).
 */
export async function signedInPage(
  browser: Browser,
  server: WebServer,
  who: Person,
  viewport: Viewport = { width: 1280, height: 800 },
  opts: { noVp9?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    ...(viewport.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    baseURL: server.baseUrl,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
    permissions: ['camera', 'microphone'],
  });
  // Plain JavaScript text: a function would be transformed by tsx (esbuild's __name helper) first.
  await context.addInitScript({
    content: `(() => {
      window.__pcs = [];
      const Original = window.RTCPeerConnection;
      window.RTCPeerConnection = function (config) {
        const pc = new Original(config);
        window.__pcs.push(pc);
        return pc;
      };
      window.RTCPeerConnection.prototype = Original.prototype;
      ${
        opts.noVp9
          ? `const caps = RTCRtpSender.getCapabilities.bind(RTCRtpSender);
      RTCRtpSender.getCapabilities = (kind) => {
        const c = caps(kind);
        if (!c || kind !== 'video') return c;
        return { ...c, codecs: c.codecs.filter((x) => !/vp9|av1/i.test(x.mimeType)) };
      };`
          : ''
      }
    })();`,
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${who.nickname}] page error: ${err.message}`));
  await loginThroughUi(page, who);
  return { context, page };
}

export interface InboundVideo {
  framesDecoded: number;
  bytesReceived: number;
  frameWidth: number;
  frameHeight: number;
  codec: string;
}

/**
 * Inbound video of the stream shown in `selector`'s <video> (found through its track on the
 * recorded peer connections), or of every connection when no selector is given (summed).
 */
export function inboundVideo(page: Page, selector?: string): Promise<InboundVideo | null> {
  return page.evaluate(async (sel) => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    // By object, not id: Janus gives every subscription's tracks the same ids.
    let wanted: MediaStreamTrack | undefined;
    if (sel) {
      const video = document.querySelector<HTMLVideoElement>(`${sel} video`);
      const stream = video?.srcObject as MediaStream | null | undefined;
      wanted = stream?.getVideoTracks()[0];
      if (!wanted) return null;
    }
    let found: InboundVideo | null = null;
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const receiver of pc.getReceivers()) {
        if (receiver.track.kind !== 'video' || (wanted && receiver.track !== wanted)) continue;
        const stats = await receiver.getStats();
        const codecs = new Map<string, string>();
        stats.forEach((s: { type: string; id: string; mimeType?: string }) => {
          if (s.type === 'codec') codecs.set(s.id, s.mimeType ?? '');
        });
        stats.forEach(
          (s: {
            type: string;
            kind?: string;
            framesDecoded?: number;
            bytesReceived?: number;
            frameWidth?: number;
            frameHeight?: number;
            codecId?: string;
          }) => {
            if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
            found = {
              framesDecoded: (found?.framesDecoded ?? 0) + (s.framesDecoded ?? 0),
              bytesReceived: (found?.bytesReceived ?? 0) + (s.bytesReceived ?? 0),
              frameWidth: Math.max(found?.frameWidth ?? 0, s.frameWidth ?? 0),
              frameHeight: Math.max(found?.frameHeight ?? 0, s.frameHeight ?? 0),
              codec: codecs.get(s.codecId ?? '') ?? found?.codec ?? '',
            };
          },
        );
      }
    }
    return found;
  }, selector);
}

/** Two samples `ms` apart: media flows when frames and bytes grow. */
export async function videoGrowth(
  page: Page,
  selector: string | undefined,
  ms = 3000,
): Promise<{ before: InboundVideo | null; after: InboundVideo | null; flowing: boolean }> {
  const before = await inboundVideo(page, selector);
  await page.waitForTimeout(ms);
  const after = await inboundVideo(page, selector);
  const flowing =
    !!before &&
    !!after &&
    after.framesDecoded > before.framesDecoded &&
    after.bytesReceived > before.bytesReceived;
  return { before, after, flowing };
}

/**
 * Wait until `check` holds (polled), or throw with `what` and, when given, `lastSeen()`: what the
 * check saw last, so that a timeout says why.
 */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = UI_TIMEOUT * 2,
  lastSeen?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out: ${what}${lastSeen ? ` (last seen: ${lastSeen()})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  console.error(`wrote ${path}`);
  return path;
}

/** Run a scenario's main: print its result (or error) as the last JSON line, exit accordingly. */
export function runMain(main: () => Promise<Record<string, unknown>>): void {
  inNamespace();
  main()
    .then((result) => {
      console.log(JSON.stringify(result));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      console.log(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
      process.exit(1);
    });
}
