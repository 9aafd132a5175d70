/**
 * `npm run bench -- video-latency [--duration S]`: end-to-end video latency through Janus in
 * Chromium (R-X5). A publisher page draws the time (24-bit milliseconds in black/white blocks)
 * into a canvas at 30 fps and publishes it (VP8) into a meeting room through our `/janus` proxy;
 * a subscriber page reads the time back from every frame it renders (requestVideoFrameCallback)
 * and records render time − draw time. Both pages share one clock. Runs in a network namespace.
 */
import type { Browser } from 'playwright-core';
import { newClient, signUp } from '../../e2e/support.ts';
import { CHROMIUM_PATH, startWebServer, type WebServer } from '../../e2e/web/browser.ts';
import { chromium } from 'playwright-core';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { JANUS_PAGE_SCRIPT } from '../lib/janus-page.ts';
import { inNetns, rerunInNetns } from '../lib/netns.ts';

export const MEDIA_BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

export function launchBenchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: MEDIA_BROWSER_ARGS });
}

/** A meeting with `n` joined users; returns their grants and ICE servers. */
export async function meetingGrants(server: WebServer, n: number) {
  const users = [];
  for (let i = 0; i < n; i++) {
    const client = newClient(server, `bench-${i}`);
    await signUp(server, client, `压测${i}`);
    await client.connect();
    users.push(client);
  }
  const meeting = await (users[0] as (typeof users)[number]).call('meetings.create', { topic: '延迟测量' });
  const joins = [];
  for (const u of users) joins.push(await u.call('meetings.join', { meetingId: meeting.id }));
  return { users, joins };
}

export async function runVideoLatencyBench(args: BenchArgs): Promise<unknown> {
  if (!inNetns()) return rerunInNetns(['video-latency', '--duration', String(args.duration)]);
  const seconds = args.flags.duration === undefined ? 20 : args.duration;
  const server = await startWebServer();
  const browser = await launchBenchBrowser();
  try {
    const { users, joins } = await meetingGrants(server, 2);
    const [pub, sub] = joins as [(typeof joins)[number], (typeof joins)[number]];
    const pages = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({
        baseURL: server.baseUrl,
        viewport: { width: 800, height: 500 },
      });
      // An init script, not a script tag: the app's CSP forbids inline scripts.
      await context.addInitScript({ content: JANUS_PAGE_SCRIPT });
      const page = await context.newPage();
      await page.goto('/login');
      pages.push(page);
    }
    const [pubPage, subPage] = pages as [(typeof pages)[number], (typeof pages)[number]];
    const url = (wsUrl: string) => `${server.baseUrl.replace('http', 'ws')}${wsUrl}`;
    await pubPage.evaluate(
      (o) =>
        (window as unknown as { zxBench: { publish(o: unknown): Promise<unknown> } }).zxBench
          .publish(o)
          .then(() => true),
      { wsUrl: url(pub.media.wsUrl), room: pub.media.room, feedId: pub.media.feedId, audio: false },
    );
    await subPage.evaluate(
      (o) =>
        (window as unknown as { zxBench: { subscribe(o: unknown): Promise<unknown> } }).zxBench
          .subscribe(o)
          .then(() => true),
      { wsUrl: url(sub.media.wsUrl), room: sub.media.room, feed: pub.media.feedId, measure: true },
    );
    console.error(`measuring ${seconds} s of frames...`);
    await subPage.waitForTimeout(3000);
    await subPage.evaluate(() =>
      (window as unknown as { zxBench: { takeLatencies(): number[] } }).zxBench.takeLatencies(),
    );
    await subPage.waitForTimeout(seconds * 1000);
    const samples = await subPage.evaluate(() =>
      (window as unknown as { zxBench: { takeLatencies(): number[] } }).zxBench.takeLatencies(),
    );
    for (const u of users) await u.close();
    if (samples.length < 10) throw new Error(`only ${samples.length} frames decoded`);
    const result = {
      scenario: 'video-latency',
      frames: samples.length,
      fps: Number((samples.length / seconds).toFixed(1)),
      latencyMs: {
        p50: percentile(samples, 50),
        p95: percentile(samples, 95),
        p99: percentile(samples, 99),
        max: Math.max(...samples),
      },
      target: { p95Ms: 100 },
      met: percentile(samples, 95) <= 100,
      path: 'canvas 640x360@30 → VP8 → Janus videoroom (via /janus proxy) → decode → render, loopback in a network namespace',
    };
    console.error(
      `video latency through Janus: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95} ms, p99 ${result.latencyMs.p99} ms over ${samples.length} frames (${result.fps} fps); target p95 ≤ 100 ms: ${result.met ? 'met' : 'NOT met'}`,
    );
    return result;
  } finally {
    await browser.close();
    await server.app.close();
  }
}
