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

/** CPU time split as the kernel charges it, in seconds. */
export interface CpuTimes {
  /** utime: Janus's own code and its libraries (SRTP, libnice, GLib). */
  user: number;
  /**
   * stime: system calls and what the kernel does in them. Without IRQ time accounting (this VM's
   * kernel) a softirq is charged to the task it interrupts, and on loopback the receiver's UDP
   * path runs in the sender's softirq: the delivery into the subscribers' sockets lands here.
   */
  system: number;
}

/** utime and stime from a `/proc/.../stat` file (a process's or one thread's). */
function statTimes(path: string): CpuTimes {
  const stat = readFileSync(path, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

/** utime and stime of a process (all its threads, ended ones included), in seconds. */
export function cpuTimes(pid: number): CpuTimes {
  return statTimes(`/proc/${pid}/stat`);
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const t = cpuTimes(pid);
  return t.user + t.system;
}

/**
 * CPU of a process's live threads summed by thread name (Janus: `hloop 0` the static event
 * loops, `janus` the core, plugin and transport threads), in seconds.
 */
export function threadTimes(pid: number): Map<string, CpuTimes> {
  const out = new Map<string, CpuTimes>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const path = `/proc/${pid}/task/${tid}/stat`;
      const stat = readFileSync(path, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const t = statTimes(path);
      const sum = out.get(name) ?? { user: 0, system: 0 };
      out.set(name, { user: sum.user + t.user, system: sum.system + t.system });
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
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
  /** (Janus CPU − its CPU with the publisher alone) ÷ forwarded packets (gst only). */
  usPerPacketAboveIdle?: number | null;
  /** Janus's user time (utime) and system time (stime) in cores, and each per forwarded packet (gst only). */
  janusUserCore?: number;
  janusSystemCore?: number;
  usPerPacketUser?: number | null;
  usPerPacketSystem?: number | null;
  /** Janus's threads that used ≥0.5% of a core, by name: user / system cores (gst only). */
  janusThreads?: Record<string, { user: number; system: number }>;
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Snapshot {
  stats: GeneratorStats;
  janus: CpuTimes;
  threads: Map<string, CpuTimes>;
  gen: number;
}

/** Threads whose CPU over the step reached 0.5% of a core, in cores. */
function busyThreads(before: Snapshot, after: Snapshot, elapsed: number) {
  const out: Record<string, { user: number; system: number }> = {};
  for (const [name, t] of after.threads) {
    const b = before.threads.get(name) ?? { user: 0, system: 0 };
    const user = (t.user - b.user) / elapsed;
    const system = (t.system - b.system) / elapsed;
    if (user + system >= 0.005) out[name] = { user: round(user, 3), system: round(system, 3) };
  }
  return out;
}

function measuredStep(
  kind: MediaKind,
  before: Snapshot,
  after: Snapshot,
  previous: MediaStep | undefined,
  idleCore: number,
): MediaStep {
  const elapsed = after.stats.t - before.stats.t;
  const packets = after.stats[kind].packets - before.stats[kind].packets;
  const lost = Math.max(0, after.stats[kind].lost - before.stats[kind].lost);
  const userCore = (after.janus.user - before.janus.user) / elapsed;
  const systemCore = (after.janus.system - before.janus.system) / elapsed;
  const janusCore = userCore + systemCore;
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
    usPerPacketAboveIdle: packets > 0 ? round(((janusCore - idleCore) * 1e6) / pps, 2) : null,
    janusUserCore: round(userCore, 3),
    janusSystemCore: round(systemCore, 3),
    usPerPacketUser: packets > 0 ? round((userCore * 1e6) / pps, 2) : null,
    usPerPacketSystem: packets > 0 ? round((systemCore * 1e6) / pps, 2) : null,
    lossPct: packets + lost > 0 ? round((100 * lost) / (packets + lost), 3) : 0,
    ...(delays.length > 0
      ? { delayP50Ms: round(percentile(delays, 50), 2), delayP99Ms: round(percentile(delays, 99), 2) }
      : {}),
    generatorCore: round((after.gen - before.gen) / elapsed, 3),
    janusThreads: busyThreads(before, after, elapsed),
  };
}

/**
 * Steps of one kind with the GStreamer generator: one publisher, then subscriptions doubling from
 * 2 until Janus uses 85% of a core, the generator saturates or `maxSubs` is reached (or only the
 * subscription counts in `fixed`, for A/B comparisons at the same load). Returns the steps and
 * why it stopped.
 */
export async function runGstSteps(
  kind: MediaKind,
  grants: GstKindGrants,
  opts: { seconds: number; maxSubs: number; fixed?: readonly number[] },
): Promise<{ steps: MediaStep[]; stopped: string; idleCore: number }> {
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
    // Janus with the publisher alone (ingress, keepalives, idle loops): the part of its CPU that
    // forwarding does not add.
    await sleep(WARMUP_MS);
    const idleStart = { cpu: cpuSeconds(janus), at: Date.now() };
    await sleep(opts.seconds * 1000);
    const idleCore = (cpuSeconds(janus) - idleStart.cpu) / ((Date.now() - idleStart.at) / 1000);
    console.error(`${kind}: Janus with the publisher alone uses ${idleCore.toFixed(3)} of a core`);
    const steps: MediaStep[] = [];
    const subscriptions = new Subscriptions(peers, kind, grants, channels);
    let stopped = opts.fixed
      ? `measured the fixed steps ${opts.fixed.join(', ')}`
      : `reached --n ${opts.maxSubs} subscriptions`;
    const targets = opts.fixed ?? doubling(opts.maxSubs);
    for (const target of targets) {
      await subscriptions.growTo(target);
      await sleep(WARMUP_MS);
      const snap = async (): Promise<Snapshot> => ({
        stats: await peers.stats(),
        janus: cpuTimes(janus),
        threads: threadTimes(janus),
        gen: cpuSeconds(peers.pid),
      });
      const before = await snap();
      await sleep(opts.seconds * 1000);
      const after = await snap();
      const step = measuredStep(kind, before, after, steps[steps.length - 1], idleCore);
      steps.push(step);
      console.error(JSON.stringify(step));
      const sentPps = (after.stats[kind].sent - before.stats[kind].sent) / (after.stats.t - before.stats.t);
      const reason = stopReason(step, opts.fixed ? undefined : steps[steps.length - 2], sentPps * target);
      if (reason) {
        stopped = reason;
        break;
      }
    }
    return { steps, stopped, idleCore };
  } finally {
    for (const c of channels) c.close();
    peers.close();
  }
}

/** 2, 4, 8, … up to `max`. */
function doubling(max: number): number[] {
  const out: number[] = [];
  for (let n = 2; n <= max; n *= 2) out.push(n);
  return out;
}

/** Delay (p50) above which the subscribers are taken to be queueing, not just receiving. */
const QUEUEING_P50_MS = 100;

/**
 * A step where the subscribers kept up: at most 1% loss and no standing queue. Past it, packets
 * wait or drop in the generator's sockets, and Janus's CPU would be divided by packets it sent
 * but the generator never counted.
 */
export function keptUp(step: MediaStep): boolean {
  return step.lossPct <= 1 && (step.delayP50Ms ?? 0) <= QUEUEING_P50_MS;
}

/** Why stepping stops after `step`, if it does. */
function stopReason(step: MediaStep, previous: MediaStep | undefined, expectedPps: number): string | null {
  if (step.janusCore >= 0.85) return 'Janus reached 85% of a core';
  // Below 85% of a core Janus keeps up: subscribers missing or queueing packets could not take them.
  if (!keptUp(step))
    return `generator saturated: its subscribers fell behind (loss ${step.lossPct}%, delay p50 ${step.delayP50Ms ?? '?'} ms)`;
  if (step.forwardedPps < 0.9 * expectedPps) {
    const share = Math.round((100 * step.forwardedPps) / expectedPps);
    return `generator saturated: its subscribers received ${share}% of the packets sent × subscriptions`;
  }
  if (previous && step.forwardedPps < previous.forwardedPps * 1.3)
    return 'generator saturated: forwarded packets stopped growing with the step';
  return null;
}

/** The generator's subscriptions to one feed, over as many proxy connections as they need. */
class Subscriptions {
  private readonly subChannels: JanusChannel[] = [];
  private count = 0;

  constructor(
    private readonly peers: GstPeers,
    private readonly kind: MediaKind,
    private readonly grants: GstKindGrants,
    private readonly opened: JanusChannel[],
  ) {}

  async growTo(target: number): Promise<void> {
    const queue: Array<{ index: number; channel: JanusChannel }> = [];
    for (let index = this.count; index < target; index++) {
      const slot = Math.floor(index / HANDLES_PER_CHANNEL);
      let channel = this.subChannels[slot];
      if (!channel) {
        channel = await JanusChannel.open(this.grants.wsUrl);
        this.subChannels[slot] = channel;
        this.opened.push(channel);
      }
      queue.push({ index, channel });
    }
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        await subscribeFeed(this.peers, job.channel, {
          id: `sub-${this.kind}-${job.index}`,
          kind: this.kind,
          room: this.grants.room,
          feed: this.grants.publisherFeed,
          // The first subscription and the newest of each step (indexes 0, 1, 3, 7...): log2(n)
          // probes keep the generator's per-packet Python work small and see both ends of
          // Janus's subscriber list.
          probe: ((job.index + 1) & job.index) === 0,
        });
      }
    };
    await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
    this.count = target;
  }
}
