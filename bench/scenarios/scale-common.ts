/**
 * What the scale scenarios of issue 9 (connections, reconnect, channel-push) share: their flags,
 * the quiet-machine check, the memory left on the machine, and the 10-second samples of server,
 * kernel and agents taken while a fleet holds its connections.
 */
import { readFileSync } from 'node:fs';
import type { BenchArgs } from '../lib/args.ts';
import { readServerLog, serverLogLines } from '../lib/server-log.ts';
import type { FailureCounts, Fleet } from '../load/types.ts';
import {
  diffServer,
  kernelSocketMemory,
  machineLoad,
  outsideLoad,
  sampleServer,
  serverKernelShare,
  type KernelSocketMemory,
  type MachineLoad,
  type ServerSample,
} from '../load/server-probe.ts';

const MiB = 1024 * 1024;

export interface ScaleFlags {
  n: number;
  workers: number;
  agents: number;
  sources: number;
  rate: number;
  duration: number;
  target: 'sqlite' | 'pg';
  reuse: string | undefined;
  allowLoad: boolean;
}

/** The common flags with each scenario's defaults (`--n`, `--workers`, `--agents`, ...). */
export function scaleFlags(
  args: BenchArgs,
  defaults: Omit<ScaleFlags, 'target' | 'reuse' | 'allowLoad'>,
): ScaleFlags {
  const f = args.flags;
  const num = (key: string, fallback: number) => (typeof f[key] === 'string' ? Number(f[key]) : fallback);
  return {
    n: f.n === undefined ? defaults.n : args.n,
    duration: f.duration === undefined ? defaults.duration : args.duration,
    workers: num('workers', defaults.workers),
    agents: num('agents', defaults.agents),
    sources: num('sources', defaults.sources),
    rate: num('rate', defaults.rate),
    target: f.target === 'pg' ? 'pg' : 'sqlite',
    reuse: typeof f.reuse === 'string' ? f.reuse : undefined,
    allowLoad: f['allow-load'] === true,
  };
}

/** 127.0.0.2, 127.0.0.3, ...: every address of 127/8 reaches the loopback listener. */
export function sourceAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`);
}

/** MemAvailable of /proc/meminfo, bytes: what can still be used before the machine swaps or kills. */
export function memAvailableBytes(): number {
  const line = readFileSync('/proc/meminfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('MemAvailable:'));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
}

/**
 * Refuse a run started under outside load (another benchmark or build on the 2 cores, or sockets
 * left over): throws with the reasons unless `allowLoad`, then the result is marked not quiet.
 */
export function quietCheck(
  allowLoad: boolean,
  log: (l: string) => void,
): { quiet: boolean; reasons: string[]; load: MachineLoad } {
  const load = machineLoad();
  const reasons = outsideLoad(load);
  if (reasons.length > 0 && !allowLoad)
    throw new Error(`outside load, run refused (--allow-load runs it anyway, marked): ${reasons.join('; ')}`);
  for (const r of reasons) log(`WARNING outside load: ${r}; the figures of this run are not kept as results`);
  return { quiet: reasons.length === 0, reasons, load };
}

export interface ScaleSample {
  /** Seconds since the first sample. */
  t: number;
  phase: string;
  open: number;
  /** Server CPU since the previous sample, in cores (1 = one core busy). */
  serverCores: number;
  serverRssMiB: number;
  serverPssMiB: number;
  serverFds: number;
  /** The server's share of the kernel socket memory grown since the baseline. */
  serverKernelMiB: number;
  agentsRssMiB: number;
  memAvailableMiB: number;
}

const mib = (b: number) => Number((b / MiB).toFixed(1));

/**
 * Samples of a server process tree and a fleet: a baseline before the connections, then one every
 * `everyMs` (10 s) and on demand. Each tick also runs `onSample` (the memory watchdog).
 */
export class ScaleSampler {
  readonly samples: ScaleSample[] = [];
  readonly baseServer: ServerSample;
  readonly baseKernel: KernelSocketMemory;
  readonly baseMemAvailable: number;
  private last: ServerSample;
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = performance.now();
  phase = 'baseline';

  constructor(
    private readonly serverPid: number,
    private readonly fleet: Fleet,
    private readonly log: (l: string) => void,
  ) {
    this.baseServer = sampleServer(serverPid);
    this.baseKernel = kernelSocketMemory();
    this.baseMemAvailable = memAvailableBytes();
    this.last = this.baseServer;
  }

  start(everyMs: number, onSample: (s: ScaleSample) => void = () => undefined): void {
    this.timer = setInterval(() => {
      this.sample()
        .then(onSample)
        .catch((err: unknown) => this.log(`sample failed: ${String(err)}`));
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<ScaleSample> {
    const stats = await this.fleet.stats();
    const server = sampleServer(this.serverPid);
    const kernel = serverKernelShare(this.baseKernel, kernelSocketMemory());
    const s: ScaleSample = {
      t: Number(((performance.now() - this.t0) / 1000).toFixed(1)),
      phase: this.phase,
      open: stats.open,
      serverCores: Number(diffServer(this.last, server).cores.toFixed(3)),
      serverRssMiB: mib(server.rssBytes),
      serverPssMiB: mib(server.pssBytes),
      serverFds: server.fds,
      serverKernelMiB: mib(kernel.bytes),
      agentsRssMiB: mib(stats.agents.reduce((sum, a) => sum + a.rssBytes, 0)),
      memAvailableMiB: mib(memAvailableBytes()),
    };
    this.last = server;
    this.samples.push(s);
    this.log(
      `[${s.t}s ${s.phase}] open ${s.open}; server ${s.serverCores} cores, RSS ${s.serverRssMiB} MiB (PSS ${s.serverPssMiB}), ` +
        `kernel ${s.serverKernelMiB} MiB, ${s.serverFds} fds; agents ${s.agentsRssMiB} MiB; ` +
        `MemAvailable ${s.memAvailableMiB} MiB`,
    );
    return s;
  }
}

/**
 * The end of a scale run's report: the server log's warnings and errors by message and the fleet's
 * failure samples (close codes and reasons of dropped connections) in the progress output, and the
 * counts for the result's JSON (`serverLog`).
 */
export function reportServerLog(
  logPath: string,
  failures: FailureCounts,
  log: (l: string) => void,
): { path: string; warn: number; error: number; fatal: number; byMsg: Record<string, number> } {
  const s = readServerLog(logPath);
  for (const line of serverLogLines(s)) log(line);
  if (failures.samples.length) log(`failure samples: ${failures.samples.join(' | ')}`);
  return { path: s.path, warn: s.warn, error: s.error, fatal: s.fatal, byMsg: s.byMsg };
}
