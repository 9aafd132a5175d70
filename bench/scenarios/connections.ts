import type { BenchArgs } from '../lib/args.ts';
import { WORKER_FILE_RESERVE } from '../../packages/server/src/cli/accept-balance.ts';
import { checkKernel, FILE_LIMIT, startClusterServer, type ClusterServer } from '../load/cluster-server.ts';
import { localPortsPerAddress, openFleet } from '../load/fleet.ts';
import { mintLogins, targetFor } from '../load/mint.ts';
import {
  diffServer,
  kernelSocketMemory,
  machineLoad,
  sampleServer,
  serverKernelShare,
} from '../load/server-probe.ts';
import type { FailureCounts, Fleet, FleetStats } from '../load/types.ts';
import { natsOutage, slowConsumerLines } from '../lib/nats-outage.ts';
import { numberFlag } from './load-harness.ts';
import {
  memAvailableBytes,
  quietCheck,
  reportServerLog,
  ScaleSampler,
  scaleFlags,
  sourceAddresses,
  type ScaleSample,
} from './scale-common.ts';

const GiB = 1024 ** 3;
const KiB = 1024;
/** Memory the machine keeps free: below it the ramp stops (before swapping or the OOM killer). */
const MEMORY_RESERVE = 1.5 * GiB;
/** Machine-wide memory per connection (server + agent + two kernel sockets) before one is measured. */
const GUESS_BYTES_PER_CONN = 24 * KiB;
/** Sockets a process keeps for itself beside its connections (as the fleet's FD_RESERVE). */
const FD_RESERVE = 64;
const SAMPLE_EVERY_MS = 10_000;
/** A ramp step whose failures exceed this share stops the ramp: a limit was hit. */
const STEP_FAILURE_SHARE = 0.01;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

/** A limit of the machine that stopped (or will stop) the ramp, with the figures that prove it. */
export interface Limit {
  kind: 'memory' | 'agentFiles' | 'serverFiles' | 'ports' | 'refused' | 'auth' | 'time' | 'other';
  detail: string;
}

/** Limits known before the first connection: open files per process, ports per source address. */
export function plannedLimits(n: number, workers: number, agents: number, sources: number): Limit[] {
  const limits: Limit[] = [];
  const perAgent = Math.ceil(n / agents);
  if (perAgent > FILE_LIMIT - FD_RESERVE)
    limits.push({
      kind: 'agentFiles',
      detail: `${perAgent} connections per load agent > ${FILE_LIMIT - FD_RESERVE} open files a process may hold: use --agents ${Math.ceil(n / (FILE_LIMIT - FD_RESERVE))}`,
    });
  // A worker stops accepting this far below its open-file limit (shared accept).
  const perWorker = Math.ceil(n / workers);
  const workerMax = FILE_LIMIT - WORKER_FILE_RESERVE;
  if (perWorker > workerMax)
    limits.push({
      kind: 'serverFiles',
      detail: `${perWorker} connections per server worker > the ${workerMax} a worker holds (${FILE_LIMIT} open files less its reserve): use --workers ${Math.ceil(n / workerMax)}`,
    });
  const ports = localPortsPerAddress();
  const perSource = Math.ceil(n / sources);
  if (perSource > ports)
    limits.push({
      kind: 'ports',
      detail: `${perSource} connections per source address > ${ports} local ports: use --sources ${Math.ceil(n / ports)}`,
    });
  return limits;
}

const FAILURE_LIMIT: Partial<Record<keyof FailureCounts, Limit['kind']>> = {
  fileLimit: 'agentFiles',
  portsExhausted: 'ports',
  refused: 'refused',
  upgradeRejected: 'refused',
  authRejected: 'auth',
};

/** The limit a ramp step ran into, judged from the failures it added. */
function stepLimit(before: FleetStats, after: FleetStats, step: number): Limit | null {
  const added = (Object.keys(FAILURE_LIMIT) as Array<keyof FailureCounts>).map((k) => ({
    k,
    n: (after.failures[k] as number) - (before.failures[k] as number),
  }));
  const total = added.reduce((s, a) => s + a.n, 0);
  if (total <= step * STEP_FAILURE_SHARE) return null;
  const worst = added.sort((a, b) => b.n - a.n)[0]!;
  // The server closes a socket whose auth frame it did not answer in time: it is CPU-bound at this rate.
  const slow = after.failures.samples.some((x) => x.includes('auth_timeout'))
    ? 'the server did not answer auth frames within its auth timeout (too slow at this arrival rate); '
    : '';
  return {
    kind: FAILURE_LIMIT[worst.k] ?? 'other',
    detail: `${slow}${total} of ${step} connections of the last ramp step failed (${worst.n} ${worst.k}); samples: ${after.failures.samples.slice(0, 3).join(' | ')}`,
  };
}

/**
 * Open `credentials` in steps of `step` at `rate`/s, stopping at a limit: the memory the machine
 * would have left (MemAvailable minus what the next step costs at the measured per-connection cost)
 * or failures of one kind.
 */
async function ramp(
  fleet: Fleet,
  credentials: Parameters<Fleet['connect']>[0],
  rate: number,
  log: (l: string) => void,
  memoryAlarm: () => Limit | null,
  rampLimitSec: number,
): Promise<{ stats: FleetStats; seconds: number; limit: Limit | null }> {
  const step = Math.max(1000, Math.round(rate * 5));
  const startAvailable = memAvailableBytes();
  const t0 = performance.now();
  let stats = await fleet.stats();
  for (let at = 0; at < credentials.length; at += step) {
    const chunk = credentials.slice(at, at + step);
    const used = startAvailable - memAvailableBytes();
    const perConn = stats.open > 1000 ? Math.max(used / stats.open, KiB) : GUESS_BYTES_PER_CONN;
    const available = memAvailableBytes();
    if (available - perConn * chunk.length < MEMORY_RESERVE) {
      const limit: Limit = {
        kind: 'memory',
        detail:
          `MemAvailable ${(available / GiB).toFixed(2)} GiB; the next ${chunk.length} connections at the measured ` +
          `${(perConn / KiB).toFixed(1)} KiB each (server, agents and kernel) would leave less than ` +
          `${MEMORY_RESERVE / GiB} GiB: stopped at ${stats.open} open`,
      };
      return { stats, seconds: (performance.now() - t0) / 1000, limit };
    }
    const alarm = memoryAlarm();
    if (alarm) return { stats, seconds: (performance.now() - t0) / 1000, limit: alarm };
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed >= rampLimitSec) {
      const limit: Limit = {
        kind: 'time',
        detail:
          `--ramp-limit ${rampLimitSec} s reached at ${stats.open} open (${Math.round(stats.open / elapsed)}/s achieved ` +
          `of ${rate}/s offered): ${credentials.length - at} connections not attempted`,
      };
      log(`ramp stopped: ${limit.kind}: ${limit.detail}`);
      return { stats, seconds: elapsed, limit };
    }
    const after = await fleet.connect(chunk, { ratePerSec: rate });
    const limit = stepLimit(stats, after, chunk.length);
    stats = after;
    if (limit) {
      log(`ramp stopped: ${limit.kind}: ${limit.detail}`);
      return { stats, seconds: (performance.now() - t0) / 1000, limit };
    }
  }
  return { stats, seconds: (performance.now() - t0) / 1000, limit: null };
}

function summaryOf(samples: ScaleSample[]) {
  return samples.map((s) => ({ ...s }));
}

/**
 * `npm run bench -- connections [--n 600000] [--workers 32] [--agents 32] [--sources 22] [--rate 2000]
 * [--duration 1800] [--target sqlite|pg] [--broker nats] [--reuse DIR] [--allow-load] [--ramp-limit S]
 * [--nats-outage S [--outage-at T]]` (S1): ramp
 * to n authenticated connections with heartbeats, hold them `--duration` seconds, sampling every 10 s. Stops at the
 * first limit of the machine (memory, open files, ports) and names it with its figures; `--ramp-limit` ends
 * the ramp after S seconds (a session's time budget) and holds what is open. `--nats-outage S` stops
 * NATS for S seconds, T seconds into the hold (60 by default; see lib/nats-outage.ts), and the result
 * counts the catch-up hints the connections got in the hold and NATS's slow-consumer cuts.
 */
export async function runConnectionsBench(args: BenchArgs) {
  const log = (l: string) => console.error(l);
  const f = scaleFlags(args, {
    n: 600_000,
    workers: 32,
    agents: 32,
    sources: 22,
    rate: 2000,
    duration: 1800,
  });
  // Checked before minting, so a bad value fails at once.
  const rampLimit = numberFlag(args.flags, 'ramp-limit', Infinity);
  if (!(rampLimit > 0)) throw new Error(`--ramp-limit ${String(args.flags['ramp-limit'])}: seconds above 0`);
  const outageSeconds = numberFlag(args.flags, 'nats-outage', 0);
  const outageAt = numberFlag(args.flags, 'outage-at', 60);
  if (!(outageSeconds >= 0 && outageAt >= 0))
    throw new Error('--nats-outage and --outage-at: seconds, 0 or more');
  if (outageSeconds > 0 && args.flags.broker !== 'nats' && args.flags.target !== 'pg')
    throw new Error('--nats-outage needs the workers on NATS: --broker nats (or --target pg)');
  const quiet = quietCheck(f.allowLoad, log);
  const kernel = checkKernel(log);
  const planned = plannedLimits(f.n, f.workers, f.agents, f.sources);
  for (const l of planned) log(`LIMIT ${l.kind}: ${l.detail}`);
  const estimate = f.n * GUESS_BYTES_PER_CONN;
  log(
    `plan: ${f.n} connections, ${f.workers} server workers, ${f.agents} agents, ${f.sources} source addresses, ` +
      `${f.rate}/s, hold ${f.duration} s; ~${(estimate / GiB).toFixed(1)} GiB at ${GUESS_BYTES_PER_CONN / KiB} KiB ` +
      `each of ${(memAvailableBytes() / GiB).toFixed(1)} GiB available`,
  );
  const target = await targetFor(f);
  const minted = await mintLogins(target, f.n);
  log(
    `logins: ${minted.credentials.length} (${minted.reused} cached) in ${minted.seconds.toFixed(1)} s; data dir ${target.dataDir}`,
  );
  let server: ClusterServer | undefined;
  let fleet: Fleet | undefined;
  let sampler: ScaleSampler | undefined;
  try {
    // `--broker nats` on a SQLite target: the workers talk over NATS as the nodes of a cluster do,
    // not through the primary's IPC relay (PostgreSQL targets always use NATS).
    const nats = args.flags.broker === 'nats' && !target.natsUrl;
    if (nats) log('broker: NATS (nats://127.0.0.1:4222) between the workers');
    server = await startClusterServer(target, {
      workers: f.workers,
      ...(nats ? { env: { ZX_NATS_URL: process.env.ZX_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222' } } : {}),
    });
    fleet = await openFleet({
      host: '127.0.0.1',
      port: server.port,
      agents: f.agents,
      sourceAddresses: sourceAddresses(f.sources),
    });
    sampler = new ScaleSampler(server.pid, fleet, log);
    let memoryLimit: Limit | null = null;
    const watchdog = (s: ScaleSample) => {
      if (memoryLimit || s.memAvailableMiB * 1024 * 1024 >= MEMORY_RESERVE) return;
      memoryLimit = {
        kind: 'memory',
        detail: `MemAvailable fell to ${s.memAvailableMiB} MiB (< ${MEMORY_RESERVE / GiB} GiB) at ${s.open} open connections`,
      };
      log(`LIMIT memory: ${memoryLimit.detail}`);
    };
    sampler.phase = 'ramp';
    sampler.start(SAMPLE_EVERY_MS, watchdog);
    const ramped = await ramp(fleet, minted.credentials, f.rate, log, () => memoryLimit, rampLimit);
    const afterRamp = await sampler.sample();
    const upAfterRamp = afterRamp.open;

    sampler.phase = 'hold';
    const holdStart = sampleServer(server.pid);
    const hintsBefore = (await fleet.stats()).syncHints;
    const cutsBefore = slowConsumerLines();
    const holdBegan = performance.now();
    const holdUntil = holdBegan + f.duration * 1000;
    let outage: Promise<number> | undefined;
    while (performance.now() < holdUntil && !memoryLimit) {
      if (outageSeconds > 0 && !outage && performance.now() - holdBegan >= outageAt * 1000)
        outage = natsOutage(outageSeconds, log);
      await sleep(Math.min(1000, holdUntil - performance.now()));
    }
    const outageDown = await outage;
    const holdEnd = sampleServer(server.pid);
    sampler.stop();
    const end = await fleet.stats();
    const cutsAfter = slowConsumerLines();
    const kernelShare = serverKernelShare(sampler.baseKernel, kernelSocketMemory());
    const idle = diffServer(holdStart, holdEnd);
    const open = end.open;
    const limit: Limit | null = ramped.limit ?? memoryLimit;
    const result = {
      scenario: 'connections',
      target: target.name,
      dataDir: target.dataDir,
      quiet: quiet.quiet,
      outsideLoad: quiet.reasons,
      /** The 1-minute load average before and after (after includes this run's own load). */
      loadAverage: { before: quiet.load.load1, after: machineLoad().load1 },
      kernel,
      plannedLimits: planned,
      requested: f.n,
      workers: f.workers,
      loadAgents: f.agents,
      sources: f.sources,
      rate: f.rate,
      mintSeconds: round(minted.seconds),
      serverReadySeconds: round(server.readySeconds),
      rampSeconds: round(ramped.seconds),
      achievedConnectRate: Math.round(upAfterRamp / Math.max(ramped.seconds, 0.001)),
      openAfterRamp: upAfterRamp,
      holdSeconds: round(idle.wallSeconds),
      openAtEnd: open,
      stillUpPercent: upAfterRamp === 0 ? 0 : round((100 * open) / upAfterRamp, 3),
      stoppedBy: limit,
      server: {
        rssMiB: round(holdEnd.rssBytes / 1024 ** 2),
        /** RSS counts the pages every worker shares (node binary, libraries) once per process; PSS once. */
        pssMiB: round(holdEnd.pssBytes / 1024 ** 2),
        baselineRssMiB: round(sampler.baseServer.rssBytes / 1024 ** 2),
        baselinePssMiB: round(sampler.baseServer.pssBytes / 1024 ** 2),
        kernelSocketMiB: round(kernelShare.bytes / 1024 ** 2),
        kibPerConnectionAllIn:
          open === 0 ? null : round((holdEnd.rssBytes + kernelShare.bytes) / open / KiB, 2),
        kibPerConnectionAllInPss:
          open === 0 ? null : round((holdEnd.pssBytes + kernelShare.bytes) / open / KiB, 2),
        kibPerConnectionAboveBaseline:
          open === 0
            ? null
            : round((holdEnd.rssBytes - sampler.baseServer.rssBytes + kernelShare.bytes) / open / KiB, 2),
        idleCores: round(idle.cores, 3),
        fds: holdEnd.fds,
      },
      agents: {
        rssMiB: round(end.agents.reduce((s, a) => s + a.rssBytes, 0) / 1024 ** 2),
        kibPerConnection:
          open === 0 ? null : round(end.agents.reduce((s, a) => s + a.rssBytes, 0) / open / KiB, 2),
      },
      connectLatencyMs: end.connectLatency,
      /** `sync.hint.v1` events the connections got during the hold (each asks a device to catch up). */
      syncHintsInHold: end.syncHints - hintsBefore,
      natsOutage:
        outageDown === undefined
          ? null
          : {
              atSeconds: outageAt,
              downSeconds: round(outageDown),
              slowConsumerCuts: cutsBefore === null || cutsAfter === null ? null : cutsAfter - cutsBefore,
            },
      failures: end.failures,
      machineMemoryUsedGiB: round((sampler.baseMemAvailable - memAvailableBytes()) / GiB, 2),
      samples: summaryOf(sampler.samples),
      serverLog: reportServerLog(server.logPath, end.failures, log),
    };
    log(
      `connections: ${open}/${upAfterRamp} still up (${result.stillUpPercent}%) after ${result.holdSeconds} s; server ` +
        `${result.server.kibPerConnectionAllIn} KiB/conn all-in by RSS (${result.server.kibPerConnectionAllInPss} by ` +
        `PSS, ${result.server.kibPerConnectionAboveBaseline} above ` +
        `baseline), idle ${result.server.idleCores} cores; connect p50 ${end.connectLatency.p50} ms p99 ` +
        `${end.connectLatency.p99} ms; ${result.syncHintsInHold} catch-up hints in the hold; ` +
        `${limit ? `stopped by ${limit.kind}: ${limit.detail}` : 'no limit hit'}`,
    );
    return result;
  } finally {
    sampler?.stop();
    await fleet?.close();
    await server?.stop();
  }
}
