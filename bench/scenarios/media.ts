/**
 * `npm run bench -- media [--generator gst|chromium] [--duration S] [--n MAX_SUBSCRIPTIONS]`: Janus
 * media capacity on this machine. One publisher per kind (Opus, then VP8) joins a real meeting's
 * room through our `/janus` proxy with real grants, and subscriptions step up (doubling) until
 * Janus uses 85% of a core, the generator saturates or `--n` is reached. Per step: Janus CPU from
 * /proc/<pid>/stat (utime+stime) per forwarded packet (all-in and marginal), loss, delay.
 * Generators: `gst` (default; bench/lib/gst-peers.py, GStreamer webrtcbin peers that loop
 * pre-encoded RTP and drop what they receive, stamping send times into the payload for the
 * added delay) or `chromium` (pages running bench/lib/janus-page.ts; canvas video with a time
 * stamp, oscillator audio: its own decoding saturates the machine long before Janus). Runs in a
 * network namespace.
 *
 * `--steps audio:128,video:32+64` (gst only) measures just those subscription counts
 * of just those kinds, without the generator's self-test: A/B comparisons of Janus settings at the
 * same load (with `ZX_BENCH_JANUS_BINARY` pointing at a wrapper such as bench/lib/janus-config-wrapper.py).
 */
import type { Page } from 'playwright-core';
import { startServer } from '../../e2e/support.ts';
import { startWebServer } from '../../e2e/web/browser.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import {
  cpuSeconds,
  generatorBaseline,
  janusPid,
  keptUp,
  runGstSteps,
  type MediaStep,
} from '../lib/gst-media.ts';
import { JANUS_PAGE_SCRIPT } from '../lib/janus-page.ts';
import { inNetns, rerunInNetns } from '../lib/netns.ts';
import { launchBenchBrowser, meetingGrants } from './video-latency.ts';

/** The proxy lets one connection hold 16 handles; a subscriber page opens one channel per 15. */
const HANDLES_PER_CHANNEL = 15;

interface Inbound {
  audio: { packets: number; lost: number };
  video: { packets: number; lost: number; frames: number };
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

type Grants = Awaited<ReturnType<typeof meetingGrants>>['joins'];
type Stopped = { kind: string; stopped: string; janusCoreWithPublisherAlone?: number };

export async function runMediaBench(args: BenchArgs): Promise<unknown> {
  const generator = String(args.flags.generator ?? 'gst');
  if (generator !== 'gst' && generator !== 'chromium') {
    throw new Error(`--generator must be gst or chromium, not ${generator}`);
  }
  const stepsFlag = typeof args.flags.steps === 'string' ? args.flags.steps : undefined;
  // Checked before the namespaced re-run, so a bad value fails at once.
  const fixed = parseFixedSteps(stepsFlag);
  if (fixed && generator !== 'gst') throw new Error('--steps needs --generator gst');
  if (!inNetns()) {
    // Only the options given: the namespaced run applies its own defaults to the others.
    const argv = ['media', '--generator', generator];
    if (args.flags.duration !== undefined) argv.push('--duration', String(args.duration));
    if (args.flags.n !== undefined) argv.push('--n', String(args.n));
    if (stepsFlag !== undefined) argv.push('--steps', stepsFlag);
    return rerunInNetns(argv);
  }
  const seconds = args.flags.duration === undefined ? 8 : args.duration;
  const maxSubs = args.flags.n === undefined ? (generator === 'gst' ? 1024 : 64) : args.n;
  const result =
    generator === 'gst' ? await gstSteps(seconds, maxSubs, fixed) : await chromiumSteps(seconds, maxSubs);
  return summarize(generator, result.steps, result.extra);
}

/**
 * Grants open new proxy channels during the whole run (one per 15 subscriptions).
 * ZX_BENCH_JANUS_BINARY: try another Janus build, or a wrapper that edits its generated config.
 */
const LONG_GRANTS = {
  config: {
    media: {
      grantTtlSeconds: 3600,
      ...(process.env.ZX_BENCH_JANUS_BINARY ? { janusBinary: process.env.ZX_BENCH_JANUS_BINARY } : {}),
    },
  },
};

/** `audio:128,video:32+64` → the subscription counts to measure per kind (null: step up by doubling). */
export function parseFixedSteps(
  spec: string | undefined,
): Partial<Record<'audio' | 'video', number[]>> | null {
  if (!spec) return null;
  const out: Partial<Record<'audio' | 'video', number[]>> = {};
  for (const part of spec.split(',')) {
    const [kind, counts] = part.split(':');
    const ns = (counts ?? '').split('+').map(Number);
    if ((kind !== 'audio' && kind !== 'video') || ns.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error(`--steps: expected e.g. audio:128,video:32+64, not ${spec}`);
    }
    out[kind] = ns;
  }
  return out;
}

async function gstSteps(
  seconds: number,
  maxSubs: number,
  fixed: Partial<Record<'audio' | 'video', number[]>> | null,
) {
  // The generator's own delay first, while nothing else of the bench runs (not for A/B runs).
  const baseline = fixed ? null : await generatorBaseline(5);
  if (baseline) console.error(`generator alone (no Janus): ${JSON.stringify(baseline)}`);
  const server = await startServer(LONG_GRANTS);
  const steps: Array<MediaStep | Stopped> = [];
  try {
    const { users, joins } = await meetingGrants(server, 4);
    const [audioPub, videoPub, subA, subV] = joins as [
      Grants[number],
      Grants[number],
      Grants[number],
      Grants[number],
    ];
    const wsUrl = (u: string) => `${server.baseUrl.replace('http', 'ws')}${u}`;
    for (const [kind, pub, sub] of [
      ['audio', audioPub, subA],
      ['video', videoPub, subV],
    ] as const) {
      if (fixed && !fixed[kind]) continue;
      const run = await runGstSteps(
        kind,
        {
          room: pub.media.room,
          publisherFeed: pub.media.feedId,
          publisherWsUrl: wsUrl(pub.media.wsUrl),
          wsUrl: wsUrl(sub.media.wsUrl),
        },
        { seconds, maxSubs, ...(fixed ? { fixed: fixed[kind] } : {}) },
      );
      steps.push(...run.steps, {
        kind,
        stopped: run.stopped,
        janusCoreWithPublisherAlone: Number(run.idleCore.toFixed(3)),
      });
      console.error(`${kind}: stopped, ${run.stopped}`);
    }
    for (const u of users) await u.close();
    return { steps, extra: baseline ? { generatorBaseline: baseline } : { fixedSteps: fixed } };
  } finally {
    await server.app.close();
  }
}

async function chromiumSteps(seconds: number, maxSubs: number) {
  const server = await startWebServer(LONG_GRANTS);
  const browser = await launchBenchBrowser();
  const steps: Array<MediaStep | Stopped> = [];
  try {
    const { users, joins } = await meetingGrants(server, 4);
    const wsUrl = (u: string) => `${server.baseUrl.replace('http', 'ws')}${u}`;
    const [audioPub, videoPub, subA, subV] = joins as [
      Grants[number],
      Grants[number],
      Grants[number],
      Grants[number],
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
      let previous: MediaStep | undefined;
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
        const cpu0 = cpuSeconds(pid);
        const started = Date.now();
        await page.waitForTimeout(seconds * 1000);
        const cpu = cpuSeconds(pid) - cpu0;
        const elapsed = (Date.now() - started) / 1000;
        const after = await page.evaluate(() => (window as unknown as Bench).zxBench.inbound());
        const latencies = await page.evaluate(() => (window as unknown as Bench).zxBench.takeLatencies());
        const packets = after[kind].packets - before[kind].packets;
        const lost = after[kind].lost - before[kind].lost;
        const pps = packets / elapsed;
        const janusCore = cpu / elapsed;
        const step: MediaStep = {
          kind,
          subscriptions: subscribed,
          forwardedPps: Math.round(pps),
          janusCore: Number(janusCore.toFixed(3)),
          usPerPacket: packets > 0 ? Number(((cpu * 1e6) / packets).toFixed(2)) : null,
          marginalUsPerPacket:
            previous && pps > previous.forwardedPps
              ? Number((((janusCore - previous.janusCore) * 1e6) / (pps - previous.forwardedPps)).toFixed(2))
              : null,
          lossPct: packets + lost > 0 ? Number(((100 * lost) / (packets + lost)).toFixed(3)) : 0,
          // Source → render (encode, Janus, decode, render) of one subscription, not Janus alone.
          ...(latencies.length > 0
            ? { delayP50Ms: percentile(latencies, 50), delayP99Ms: percentile(latencies, 99) }
            : {}),
        };
        steps.push(step);
        console.error(JSON.stringify(step));
        if (step.janusCore >= 0.85) {
          steps.push({ kind, stopped: 'Janus reached 85% of a core' });
          break;
        }
        // Generator saturated: doubling the subscriptions brought less than 30% more packets.
        if (previous && pps < previous.forwardedPps * 1.3) {
          steps.push({ kind, stopped: 'generator saturated (forwarded packets stopped growing)' });
          break;
        }
        previous = step;
      }
      await page.context().close();
    }
    for (const u of users) await u.close();
    return { steps, extra: {} };
  } finally {
    await browser.close();
    await server.app.close();
  }
}

const TARGETS = {
  audio: { usPerPacket: 12, delayP99Ms: 10, lossPct: 0.1 },
  video: { usPerPacket: 16, delayP99Ms: 20, lossPct: 0.1 },
};

function summarize(generator: string, steps: Array<MediaStep | Stopped>, extra: Record<string, unknown>) {
  const measured = steps.filter((x): x is MediaStep => 'forwardedPps' in x);
  // The step that forwarded the most while the subscribers kept up: fixed costs weigh least
  // there, and past it Janus's work would be divided by packets the generator failed to count.
  const best = (kind: string) =>
    measured
      // (Chromium's delay is source → render, decoding included: only its loss says it fell behind.)
      .filter(
        (x) =>
          x.kind === kind && x.usPerPacket !== null && (generator === 'gst' ? keptUp(x) : x.lossPct <= 1),
      )
      .sort((a, b) => b.forwardedPps - a.forwardedPps)[0];
  const audio = best('audio');
  const video = best('video');
  const verdict = (step: MediaStep | undefined, t: (typeof TARGETS)['audio']) =>
    step
      ? {
          usPerPacketAllIn: (step.usPerPacket ?? Infinity) <= t.usPerPacket,
          usPerPacketMarginal:
            step.marginalUsPerPacket === null ? null : step.marginalUsPerPacket <= t.usPerPacket,
          usPerPacketAboveIdle:
            step.usPerPacketAboveIdle == null ? null : step.usPerPacketAboveIdle <= t.usPerPacket,
          // Chromium's delay is source → render, not what Janus adds: no verdict on it.
          delayP99:
            step.delayP99Ms === undefined || generator !== 'gst' ? null : step.delayP99Ms <= t.delayP99Ms,
          loss: step.lossPct <= t.lossPct,
        }
      : null;
  // On paper: 800 voice calls (1,600 people) each forward 2 × 50 audio pps; 500 video calls each
  // forward 2 × (50 audio + ~150 video at 720p ~1.2 Mbit/s) pps — if they all went through the SFU.
  const audioPps = 800 * 2 * 50 + 500 * 2 * 50;
  const videoPps = 500 * 2 * 150;
  const coresAt = (a: number | null | undefined, v: number | null | undefined) =>
    a && v ? Number(((audioPps * a + videoPps * v) / 1e6).toFixed(2)) : null;
  const cores = coresAt(audio?.usPerPacket, video?.usPerPacket);
  const coresAboveIdle = coresAt(audio?.usPerPacketAboveIdle, video?.usPerPacketAboveIdle);
  console.error(
    `Janus (${generator} generator): audio ${audio?.usPerPacket ?? '?'} µs/packet at ${audio?.forwardedPps ?? '?'} pps, video ${video?.usPerPacket ?? '?'} µs/packet at ${video?.forwardedPps ?? '?'} pps; 800 voice + 500 video calls through the SFU ≈ ${cores ?? '?'} cores (1:1 calls normally go peer to peer and cost the SFU nothing)`,
  );
  return {
    scenario: 'media',
    generator,
    steps,
    best: { audio, video },
    targets: TARGETS,
    met: { audio: verdict(audio, TARGETS.audio), video: verdict(video, TARGETS.video) },
    coresForSpecIfAllThroughSfu: cores,
    ...(coresAboveIdle === null ? {} : { coresForSpecIfAllThroughSfuAboveIdle: coresAboveIdle }),
    ...extra,
  };
}
