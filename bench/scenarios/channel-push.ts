import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import type { BenchArgs } from '../lib/args.ts';
import { checkKernel, startClusterServer, type ClusterServer } from '../load/cluster-server.ts';
import { openFleet } from '../load/fleet.ts';
import { mintLogins, targetFor } from '../load/mint.ts';
import { diffServer, sampleServer } from '../load/server-probe.ts';
import type { Credential, Fleet } from '../load/types.ts';
import { quietCheck, reportServerLog, scaleFlags, sourceAddresses } from './scale-common.ts';

const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long after the last post the run waits for every subscriber to have every post. */
const DRAIN_TIMEOUT_MS = 60_000;
/** The server's idle CPU is measured over this long (`--idle`, s) before the first post. */
const IDLE_WINDOW_SEC = 10;

/**
 * A subscriber watched from this process: it notes when each post's text arrives. The fleet's lean
 * agents only count the posts they receive (a post carries the id the server made for it), so
 * arrival times come from these probes, spread over the subscribers (the last one included).
 */
class Probe {
  readonly arrivals = new Map<string, number>();
  dropped = false;
  private constructor(private readonly ws: WebSocket) {}

  static open(url: string, who: Credential): Promise<Probe> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const probe = new Probe(ws);
    return new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('open', () =>
        ws.send(JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: who.accessToken })),
      );
      ws.on('close', () => (probe.dropped = true));
      ws.on('message', (data: WebSocket.RawData) => {
        const text = String(data);
        if (text.startsWith('{"type":"hello"')) return resolve(probe);
        const marker = /频道推送 post (\w+)/.exec(text);
        if (marker?.[1] && text.includes('"message.created.v1"'))
          probe.arrivals.set(marker[1], performance.timeOrigin + performance.now());
      });
    });
  }

  close(): void {
    this.ws.removeAllListeners('close');
    this.ws.close();
  }
}

interface Broadcast {
  id: string;
  status: string;
  total: number;
  delivered: number;
}

async function api<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * `npm run bench -- channel-push [--n 100000] [--duration 60] [--interval 10] [--probes 200]
 * [--idle 10] [--workers 8] [--agents 8] [--sources 6] [--rate 2000] [--target sqlite|pg]
 * [--reuse DIR] [--allow-load]` (S5): n subscribers online (the fleet holds all but the probes), the
 * operations account posts to everyone (its channel) every `--interval` seconds for `--duration`
 * seconds. Deliveries are the posts the subscribers received (counted by the fleet's agents and the
 * probes). Reports deliveries per server CPU-second (raw, and net of the idle cost of holding the
 * connections, measured over `--idle` seconds before the first post), time to the last delivery
 * (probes), dropped subscribers and server RSS growth.
 */
export async function runChannelPushBench(args: BenchArgs) {
  const log = (l: string) => console.error(l);
  const f = scaleFlags(args, { n: 100_000, workers: 8, agents: 8, sources: 6, rate: 2000, duration: 60 });
  const intervalSec = typeof args.flags.interval === 'string' ? Number(args.flags.interval) : 10;
  const idleSec = typeof args.flags.idle === 'string' ? Number(args.flags.idle) : IDLE_WINDOW_SEC;
  const probeCount = Math.min(f.n, typeof args.flags.probes === 'string' ? Number(args.flags.probes) : 200);
  const quiet = quietCheck(f.allowLoad, log);
  const kernel = checkKernel(log);
  const target = await targetFor(f);
  const minted = await mintLogins(target, f.n);
  // Probes spread over the minted users, the last one included.
  const probeIdx = new Set(
    Array.from({ length: probeCount }, (_, i) => Math.round(((i + 1) * (f.n - 1)) / probeCount)),
  );
  const held = minted.credentials.filter((_, i) => !probeIdx.has(i));
  let server: ClusterServer | undefined;
  let fleet: Fleet | undefined;
  const probes: Probe[] = [];
  try {
    server = await startClusterServer(target, { workers: f.workers });
    const base = `http://127.0.0.1:${server.port}`;
    fleet = await openFleet({
      host: '127.0.0.1',
      port: server.port,
      agents: f.agents,
      sourceAddresses: sourceAddresses(f.sources),
    });
    const connected = await fleet.connect(held, { ratePerSec: f.rate });
    for (const i of probeIdx)
      probes.push(await Probe.open(`ws://127.0.0.1:${server.port}/ws`, minted.credentials[i]!));
    const online = connected.open + probes.length;
    log(
      `channel-push: ${online}/${f.n} subscribers online (${probes.length} probes); posting every ${intervalSec} s`,
    );
    // The server's cost of holding the connections, to tell it apart from the cost of the posts.
    const idleFrom = sampleServer(server.pid);
    await sleep(idleSec * 1000);
    const idle = diffServer(idleFrom, sampleServer(server.pid));
    const fleetBefore = await fleet.stats();
    const before = sampleServer(server.pid);
    const posts: Array<{
      key: string;
      id: string;
      total: number;
      delivered: number;
      postedAt: number;
      answerMs: number;
      storedMs: number | null;
      probeLastMs: number | null;
      probeP50Ms: number | null;
      probesReached: number;
    }> = [];
    const postCount = Math.max(1, Math.floor(f.duration / intervalSec));
    const stamp = Date.now().toString(36);
    for (let k = 0; k < postCount; k++) {
      const due = performance.now() + intervalSec * 1000;
      const key = `${stamp}x${k}`;
      const postedAt = performance.timeOrigin + performance.now();
      const b = await api<Broadcast>(base, minted.staff.accessToken, 'POST', '/ops-account/broadcasts', {
        target: { all: true },
        text: `频道推送 post ${key}: 今日通知 notice of the day`,
      });
      const answerMs = round(performance.timeOrigin + performance.now() - postedAt);
      posts.push({
        key,
        id: b.id,
        total: b.total,
        delivered: b.delivered,
        postedAt,
        answerMs,
        // Answered `done`: stored once for every subscriber.
        storedMs: b.status === 'done' ? answerMs : null,
        probeLastMs: null,
        probeP50Ms: null,
        probesReached: 0,
      });
      if (k < postCount - 1) await sleep(Math.max(0, due - performance.now()));
    }
    // Every post seen by every probe and by every fleet connection still open, or no new delivery
    // for 2 s once the probes have them all (a connection dropped meanwhile missed some), or the timeout.
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    let fleetEvents = 0;
    let steadySince = performance.now();
    while (performance.now() < deadline) {
      const now = await fleet.stats();
      const seen = now.messageEvents - fleetBefore.messageEvents;
      if (seen !== fleetEvents) steadySince = performance.now();
      fleetEvents = seen;
      const probesDone = posts.every((p) => probes.every((pr) => pr.dropped || pr.arrivals.has(p.key)));
      const steady = performance.now() - steadySince > 2000;
      if (probesDone && (fleetEvents >= posts.length * now.open || steady)) break;
      await sleep(200);
    }
    const after = sampleServer(server.pid);
    const end = await fleet.stats();
    for (const p of posts) {
      const times = probes.flatMap((pr) => {
        const at = pr.arrivals.get(p.key);
        return at === undefined ? [] : [at - p.postedAt];
      });
      times.sort((a, b) => a - b);
      p.probesReached = times.length;
      p.probeLastMs = times.length ? round(times[times.length - 1]!) : null;
      p.probeP50Ms = times.length ? round(times[Math.floor(times.length / 2)]!) : null;
    }
    const cpu = diffServer(before, after);
    fleetEvents = end.messageEvents - fleetBefore.messageEvents;
    const delivered = fleetEvents + posts.reduce((s, p) => s + p.probesReached, 0);
    const idleCpuSeconds = idle.cores * cpu.wallSeconds;
    const postCpuSeconds = Math.max(0, cpu.cpuSeconds - idleCpuSeconds);
    const droppedProbes = probes.filter((p) => p.dropped).length;
    const last = posts.map((p) => p.probeLastMs ?? Infinity);
    const result = {
      scenario: 'channel-push',
      target: target.name,
      dataDir: target.dataDir,
      quiet: quiet.quiet,
      outsideLoad: quiet.reasons,
      kernel,
      workers: f.workers,
      loadAgents: f.agents,
      subscribers: f.n,
      online,
      probes: probes.length,
      posts: posts.length,
      intervalSec,
      deliveries: delivered,
      deliveriesExpected: posts.length * online,
      serverCpuSeconds: round(cpu.cpuSeconds, 2),
      windowSeconds: round(cpu.wallSeconds, 1),
      idleServerCores: round(idle.cores, 3),
      deliveriesPerServerCpuSecond: cpu.cpuSeconds > 0 ? Math.round(delivered / cpu.cpuSeconds) : null,
      /** Net of the idle cost of holding the connections over the same window. */
      deliveriesPerPostCpuSecond: postCpuSeconds > 0 ? Math.round(delivered / postCpuSeconds) : null,
      lastDeliveryMsWorst: Math.max(...last) === Infinity ? null : Math.max(...last),
      storedForAllMsWorst: posts.some((p) => p.storedMs === null)
        ? null
        : Math.max(...posts.map((p) => p.storedMs!)),
      subscribersDropped: end.failures.dropped - connected.failures.dropped + droppedProbes,
      openAtEnd: end.open + probes.length - droppedProbes,
      serverRssGrowthMiB: round((after.rssBytes - before.rssBytes) / 1024 ** 2),
      serverRssMiB: round(after.rssBytes / 1024 ** 2),
      postsDetail: posts,
      serverLog: reportServerLog(server.logPath, end.failures, log),
    };
    log(
      `channel-push: ${posts.length} posts, ${delivered}/${result.deliveriesExpected} deliveries, ` +
        `${result.deliveriesPerServerCpuSecond} per server CPU-second (${result.deliveriesPerPostCpuSecond} net of ` +
        `the idle ${result.idleServerCores} cores); last delivery (probes) worst ${result.lastDeliveryMsWorst} ms, stored for all worst ` +
        `${result.storedForAllMsWorst} ms; ${result.subscribersDropped} dropped; RSS +${result.serverRssGrowthMiB} MiB`,
    );
    return result;
  } finally {
    for (const p of probes) p.close();
    await fleet?.close();
    await server?.stop();
  }
}
