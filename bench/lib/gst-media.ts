import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { percentile } from './args.ts';
import { HANDLES_PER_CHANNEL, JanusChannel, publishFeed, subscribeFeed } from './gst-janus.ts';
import { GstPeers, type GeneratorStats, type MediaKind } from './gst-peers.ts';

const TICKS_PER_SECOND = 100;
/** Subscriptions being negotiated at once (each is a few Janus round trips). */
const SETUP_CONCURRENCY = 4;
const WARMUP_MS = 3000;

/** The Janus this process's server started (a child process named janus). */
export function janusPid(): number {
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

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** One measured step of the media bench (either generator). */
export interface MediaStep {
  kind: MediaKind;
  subscriptions: number;
  forwardedPps: number;
  janusCore: number;
  /** Janus CPU ÷ forwarded packets: everything Janus did, ingress and idle work included. */
  usPerPacket: number | null;
  /** Extra Janus CPU per extra forwarded packet since the previous step. */
  marginalUsPerPacket: number | null;
  lossPct: number;
  /** Send → receive delay of the probed subscriptions (gst: publisher hand-off to subscriber). */
  delayP50Ms?: number;
  delayP99Ms?: number;
  /** CPU the generator process used (gst only). */
  generatorCore?: number;
}

export interface GstKindGrants {
  wsUrl: string;
  room: number;
  publisherFeed: number;
  publisherWsUrl: string;
}

/** The generator's own send → receive delay without Janus (`gst-peers.py --selftest`). */
export function generatorBaseline(seconds: number): Promise<Record<MediaKind, Record<string, number>>> {
  const script = fileURLToPath(new URL('./gst-peers.py', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [script, '--selftest', String(seconds)], (err, stdout) => {
      if (err) return reject(err);
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve((JSON.parse(last) as { selftest: Record<MediaKind, Record<string, number>> }).selftest);
    });
  });
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

function measuredStep(
  kind: MediaKind,
  before: { stats: GeneratorStats; janus: number; gen: number },
  after: { stats: GeneratorStats; janus: number; gen: number },
  previous: MediaStep | undefined,
): MediaStep {
  const elapsed = after.stats.t - before.stats.t;
  const packets = after.stats[kind].packets - before.stats[kind].packets;
  const lost = Math.max(0, after.stats[kind].lost - before.stats[kind].lost);
  const janusCore = (after.janus - before.janus) / elapsed;
  const pps = packets / elapsed;
  const delays = after.stats[kind].delaysMs;
  const marginal =
    previous && pps > previous.forwardedPps
      ? ((janusCore - previous.janusCore) * 1e6) / (pps - previous.forwardedPps)
      : null;
  return {
    kind,
    subscriptions: after.stats[kind].subscriptions,
    forwardedPps: Math.round(pps),
    janusCore: round(janusCore, 3),
    usPerPacket: packets > 0 ? round((janusCore * 1e6) / pps, 2) : null,
    marginalUsPerPacket: marginal === null ? null : round(marginal, 2),
    lossPct: packets + lost > 0 ? round((100 * lost) / (packets + lost), 3) : 0,
    ...(delays.length > 0
      ? { delayP50Ms: round(percentile(delays, 50), 2), delayP99Ms: round(percentile(delays, 99), 2) }
      : {}),
    generatorCore: round((after.gen - before.gen) / elapsed, 3),
  };
}

/**
 * Steps of one kind with the GStreamer generator: one publisher, then subscriptions doubling from
 * 2 until Janus uses 85% of a core, the generator saturates or `maxSubs` is reached. Returns the
 * steps and why it stopped.
 */
export async function runGstSteps(
  kind: MediaKind,
  grants: GstKindGrants,
  opts: { seconds: number; maxSubs: number },
): Promise<{ steps: MediaStep[]; stopped: string }> {
  const peers = await GstPeers.start();
  const channels: JanusChannel[] = [];
  try {
    const pubChannel = await JanusChannel.open(grants.publisherWsUrl);
    channels.push(pubChannel);
    await publishFeed(peers, pubChannel, {
      id: `pub-${kind}`,
      kind,
      room: grants.room,
      feedId: grants.publisherFeed,
    });
    const janus = janusPid();
    const steps: MediaStep[] = [];
    const subChannels: JanusChannel[] = [];
    let subscribed = 0;
    for (let target = 2; target <= opts.maxSubs; target *= 2) {
      const jobs: Array<{ index: number; channel: JanusChannel }> = [];
      for (let index = subscribed; index < target; index++) {
        const slot = Math.floor(index / HANDLES_PER_CHANNEL);
        if (!subChannels[slot]) {
          subChannels[slot] = await JanusChannel.open(grants.wsUrl);
          channels.push(subChannels[slot]);
        }
        jobs.push({ index, channel: subChannels[slot] });
      }
      const queue = jobs.slice();
      const worker = async () => {
        for (let job = queue.shift(); job; job = queue.shift()) {
          await subscribeFeed(peers, job.channel, {
            id: `sub-${kind}-${job.index}`,
            kind,
            room: grants.room,
            feed: grants.publisherFeed,
            // The first subscription and the newest of each step: log2(n) probes keep the
            // generator's per-packet Python work small while seeing both ends of Janus's list.
            probe: ((job.index + 1) & job.index) === 0,
          });
        }
      };
      await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
      subscribed = target;
      await new Promise((r) => setTimeout(r, WARMUP_MS));
      const snap = async () => ({
        stats: await peers.stats(),
        janus: cpuSeconds(janus),
        gen: cpuSeconds(peers.pid),
      });
      const before = await snap();
      await new Promise((r) => setTimeout(r, opts.seconds * 1000));
      const after = await snap();
      const step = measuredStep(kind, before, after, steps[steps.length - 1]);
      steps.push(step);
      console.error(JSON.stringify(step));
      const sentPps = (after.stats[kind].sent - before.stats[kind].sent) / (after.stats.t - before.stats.t);
      const expectedPps = sentPps * subscribed;
      const previous = steps[steps.length - 2];
      if (step.janusCore >= 0.85) return { steps, stopped: 'Janus reached 85% of a core' };
      if (step.forwardedPps < 0.9 * expectedPps)
        return {
          steps,
          stopped: `generator saturated: its subscribers received ${Math.round((100 * step.forwardedPps) / expectedPps)}% of the packets sent × subscriptions`,
        };
      if (previous && step.forwardedPps < previous.forwardedPps * 1.3)
        return { steps, stopped: 'generator saturated: forwarded packets stopped growing with the step' };
    }
    return { steps, stopped: `reached --n ${opts.maxSubs} subscriptions` };
  } finally {
    for (const c of channels) c.close();
    peers.close();
  }
}
