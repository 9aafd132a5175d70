/**
 * `npm run bench -- media [--duration S] [--n MAX_SUBSCRIPTIONS]`: Janus media capacity on this
 * machine. Synthetic peers in Chromium (a page per role; canvas video with a time stamp, oscillator
 * audio) publish into one meeting room through our `/janus` proxy and subscribe to each other,
 * stepping up the number of subscriptions (audio-only, then video) until Janus uses 85% of a
 * core, the generator saturates (forwarded packets stop growing with the step) or `--n` is
 * reached. Per step: Janus CPU from /proc/<pid>/stat (utime+stime) divided by the packets the
 * subscribers received, loss from inbound-rtp packetsLost, and (video) the source→render latency
 * of one measured subscription. Runs in a network namespace.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { startWebServer } from '../../e2e/web/browser.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { JANUS_PAGE_SCRIPT } from '../lib/janus-page.ts';
import { inNetns, rerunInNetns } from '../lib/netns.ts';
import { launchBenchBrowser, meetingGrants } from './video-latency.ts';

const TICKS_PER_SECOND = 100;
/** The proxy lets one connection hold 16 handles; a subscriber page opens one channel per 15. */
const HANDLES_PER_CHANNEL = 15;

interface Inbound {
  audio: { packets: number; lost: number };
  video: { packets: number; lost: number; frames: number };
}

/** The Janus this process's server started (a child process named janus). */
function janusPid(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.includes('(janus)') && Number(fields[1]) === process.pid) return Number(entry);
    } catch {
      // The process ended meanwhile.
    }
  }
  throw new Error('no Janus child process');
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

type Bench = {
  zxBench: {
    channel(url: string): Promise<unknown>;
    publish(o: unknown): Promise<unknown>;
    subscribe(o: unknown): Promise<unknown>;
    inbound(): Promise<Inbound>;
    takeLatencies(): number[];
  };
};

async function newPage(
  browser: Awaited<ReturnType<typeof launchBenchBrowser>>,
  baseUrl: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 800, height: 500 } });
  // An init script, not a script tag: the app's CSP forbids inline scripts.
  await context.addInitScript({ content: JANUS_PAGE_SCRIPT });
  const page = await context.newPage();
  await page.goto('/login');
  return page;
}

export async function runMediaBench(args: BenchArgs): Promise<unknown> {
  if (!inNetns()) return rerunInNetns(['media', '--duration', String(args.duration), '--n', String(args.n)]);
  const seconds = args.flags.duration === undefined ? 8 : args.duration;
  const maxSubs = args.flags.n === undefined ? 64 : args.n;
  // Grants open new proxy channels during the whole run (one per 15 subscriptions).
  const server = await startWebServer({ config: { media: { grantTtlSeconds: 3600 } } });
  const browser = await launchBenchBrowser();
  const steps: Record<string, unknown>[] = [];
  try {
    const { users, joins } = await meetingGrants(server, 4);
    const wsUrl = (u: string) => `${server.baseUrl.replace('http', 'ws')}${u}`;
    const [audioPub, videoPub, subA, subV] = joins as [
      (typeof joins)[number],
      (typeof joins)[number],
      (typeof joins)[number],
      (typeof joins)[number],
    ];
    const room = audioPub.media.room;
    const pubPage = await newPage(browser, server.baseUrl);
    await pubPage.evaluate((o) => (window as unknown as Bench).zxBench.publish(o).then(() => true), {
      wsUrl: wsUrl(audioPub.media.wsUrl),
      room,
      feedId: audioPub.media.feedId,
      video: false,
    });
    await pubPage.evaluate((o) => (window as unknown as Bench).zxBench.publish(o).then(() => true), {
      wsUrl: wsUrl(videoPub.media.wsUrl),
      room,
      feedId: videoPub.media.feedId,
      audio: false,
    });
    const pid = janusPid();
    for (const [kind, grant, feed] of [
      ['audio', subA, audioPub.media.feedId],
      ['video', subV, videoPub.media.feedId],
    ] as const) {
      const page = await newPage(browser, server.baseUrl);
      let subscribed = 0;
      let previousRate = 0;
      for (let target = 2; target <= maxSubs; target *= 2) {
        while (subscribed < target) {
          const measure = kind === 'video' && subscribed === 0;
          await page.evaluate(
            async (o) => {
              const w = window as unknown as Bench & { zxChannel?: unknown; zxHandles?: number };
              if (!w.zxChannel || (w.zxHandles ?? 0) >= o.perChannel) {
                w.zxChannel = await w.zxBench.channel(o.wsUrl);
                w.zxHandles = 0;
              }
              w.zxHandles = (w.zxHandles ?? 0) + 1;
              await w.zxBench.subscribe({
                channel: w.zxChannel,
                room: o.room,
                feed: o.feed,
                measure: o.measure,
              });
            },
            { wsUrl: wsUrl(grant.media.wsUrl), room, feed, measure, perChannel: HANDLES_PER_CHANNEL },
          );
          subscribed++;
        }
        await page.waitForTimeout(3000);
        const before = await page.evaluate(() => (window as unknown as Bench).zxBench.inbound());
        await page.evaluate(() => (window as unknown as Bench).zxBench.takeLatencies());
        const t0 = cpuTicks(pid);
        const started = Date.now();
        await page.waitForTimeout(seconds * 1000);
        const t1 = cpuTicks(pid);
        const elapsed = (Date.now() - started) / 1000;
        const after = await page.evaluate(() => (window as unknown as Bench).zxBench.inbound());
        const latencies = await page.evaluate(() => (window as unknown as Bench).zxBench.takeLatencies());
        const packets = after[kind].packets - before[kind].packets;
        const lost = after[kind].lost - before[kind].lost;
        const cpuSeconds = (t1 - t0) / TICKS_PER_SECOND;
        const step = {
          kind,
          subscriptions: subscribed,
          forwardedPps: Math.round(packets / elapsed),
          janusCore: Number((cpuSeconds / elapsed).toFixed(3)),
          usPerPacket: packets > 0 ? Number(((cpuSeconds * 1e6) / packets).toFixed(2)) : null,
          lossPct: packets + lost > 0 ? Number(((100 * lost) / (packets + lost)).toFixed(3)) : 0,
          ...(latencies.length > 0
            ? { latencyP50Ms: percentile(latencies, 50), latencyP99Ms: percentile(latencies, 99) }
            : {}),
        };
        steps.push(step);
        console.error(JSON.stringify(step));
        const rate = packets / elapsed;
        if (step.janusCore >= 0.85) break;
        // Generator saturated: doubling the subscriptions brought less than 30% more packets.
        if (previousRate > 0 && rate < previousRate * 1.3) {
          steps.push({ kind, stopped: 'generator saturated (forwarded packets stopped growing)' });
          break;
        }
        previousRate = rate;
      }
      await page.context().close();
    }
    for (const u of users) await u.close();
    const best = (kind: string) => {
      const s = steps.filter((x) => x.kind === kind && typeof x.usPerPacket === 'number') as Array<{
        usPerPacket: number;
        forwardedPps: number;
        janusCore: number;
      }>;
      return s.sort((a, b) => b.forwardedPps - a.forwardedPps)[0];
    };
    const audio = best('audio');
    const video = best('video');
    // On paper: 800 voice calls (1,600 people) each forward 2 × 50 audio pps; 500 video calls each
    // forward 2 × (50 audio + ~150 video at 720p ~1.2 Mbit/s) pps — if they all went through the SFU.
    const voicePps = 800 * 2 * 50;
    const videoCallAudioPps = 500 * 2 * 50;
    const videoCallVideoPps = 500 * 2 * 150;
    const cores =
      audio && video
        ? Number(
            (
              ((voicePps + videoCallAudioPps) * audio.usPerPacket + videoCallVideoPps * video.usPerPacket) /
              1e6
            ).toFixed(2),
          )
        : null;
    const result = {
      scenario: 'media',
      steps,
      best: { audio, video },
      targets: { usPerAudioPacket: 12, usPerVideoPacket: 16 },
      met: {
        audio: audio ? audio.usPerPacket <= 12 : false,
        video: video ? video.usPerPacket <= 16 : false,
      },
      coresForSpecIfAllThroughSfu: cores,
    };
    console.error(
      `Janus: audio ${audio?.usPerPacket ?? '?'} µs/packet at ${audio?.forwardedPps ?? '?'} pps, video ${video?.usPerPacket ?? '?'} µs/packet at ${video?.forwardedPps ?? '?'} pps; 800 voice + 500 video calls through the SFU ≈ ${cores ?? '?'} cores (1:1 calls normally go peer to peer and cost the SFU nothing)`,
    );
    return result;
  } finally {
    await browser.close();
    await server.app.close();
  }
}
