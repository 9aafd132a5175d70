/**
 * The parent of the load agents: `openFleet` bundles agent.ts once (agents run plain JS, not tsx,
 * to keep their memory down), forks the agents, spreads credentials and source addresses over them,
 * refuses plans a per-process file limit cannot hold, and merges the agents' reports.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { failureLine } from './failures.ts';
import { mergeStats, mergeTraffic } from './fleet-merge.ts';
import { Histogram } from './histogram.ts';
import { agentPortRanges } from './local-ports.ts';
import type {
  AgentCommand,
  AgentReport,
  AgentStats,
  AgentTrafficPart,
  Credential,
  Fleet,
  FleetOptions,
  FleetStats,
  HistogramData,
  TrafficPlan,
  TrafficResult,
} from './types.ts';

/** File descriptors an agent keeps for itself (IPC, stdio, epoll, ...) beside its sockets. */
const FD_RESERVE = 64;
const PROGRESS_EVERY_MS = 5_000;
export { mergeStats } from './fleet-merge.ts';

const AGENT_NODE_FLAGS = ['--max-semi-space-size=2', '--v8-pool-size=1'];

/** The soft open-file limit of a process, from /proc (what the agent actually got). */
export function openFileLimit(pid: number): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

/** Local ports the agents can use per source address: their own ranges (local-ports.ts) unless told not to. */
export function localPortsPerAddress(): number {
  if (process.env.ZX_LOAD_KERNEL_PORTS === '1') return ephemeralPorts();
  return agentPortRanges().reduce((sum, [a, b]) => sum + b - a + 1, 0);
}

/** Ephemeral ports per source address (each connection from one address needs its own). */
export function ephemeralPorts(): number {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(hi) - Number(lo) + 1;
  } catch {
    return 28_232;
  }
}

/** The longest event-loop stall of any agent since the previous stats, ms. */
function loopDelayMax(s: FleetStats): number {
  return Math.max(0, ...s.agents.map((a) => a.loopDelayMaxMs ?? 0));
}

/** Bundle agent.ts into one .mjs so agents start as plain Node processes. */
async function bundleAgent(): Promise<{ file: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'zx-load-'));
  const file = join(dir, 'agent.mjs');
  await build({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'agent.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: file,
    logLevel: 'error',
  });
  return { file, dir };
}

interface Waiter {
  agent: AgentHandle;
  resolve: (r: AgentReport) => void;
  reject: (err: Error) => void;
}

/** The waiter key of an agent's pending connect (negative: reqIds are positive). */
function connectReq(a: AgentHandle): number {
  return -a.pid;
}

interface AgentHandle {
  child: ChildProcess;
  pid: number;
  fileLimit: number;
  /** Connections assigned so far. */
  assigned: number;
  last: AgentStats | undefined;
}

class LoadFleet implements Fleet {
  private nextReq = 1;
  private total = 0;
  /** Answers awaited, by reqId; a connect is awaited under CONNECT_REQ of its agent. */
  private readonly waiters = new Map<number, Waiter>();
  private closing = false;
  private runs = 0;

  constructor(
    private readonly opts: FleetOptions,
    private readonly agents: AgentHandle[],
    private readonly bundleDir: string,
  ) {
    for (const a of agents) {
      a.child.on('message', (r: AgentReport) => this.onReport(a, r));
      a.child.on('exit', (code, signal) => {
        if (!this.closing) this.log(`agent ${a.pid} exited (${String(code ?? signal)})`);
        for (const [id, w] of this.waiters) {
          if (w.agent !== a) continue;
          this.waiters.delete(id);
          w.reject(new Error(`agent ${a.pid} exited (${String(code ?? signal)}) before answering`));
        }
      });
    }
  }

  private log(line: string): void {
    if (this.opts.progress !== false) process.stderr.write(`[fleet] ${line}\n`);
  }

  private onReport(a: AgentHandle, r: AgentReport): void {
    if (r.type === 'fatal') {
      this.log(`agent ${a.pid} failed: ${r.message}`);
      return;
    }
    if (r.type === 'connected' || r.type === 'stats' || r.type === 'reconnected') a.last = r.stats;
    const reqId = r.type === 'connected' ? connectReq(a) : 'reqId' in r ? r.reqId : undefined;
    if (reqId === undefined) return;
    const w = this.waiters.get(reqId);
    this.waiters.delete(reqId);
    w?.resolve(r);
  }

  /** Send one request to each agent and collect the answers (same reqId for all). */
  private ask<R extends AgentReport>(
    cmds: (reqId: number, a: AgentHandle) => AgentCommand | null,
  ): Promise<R[]> {
    return Promise.all(
      this.agents.map((a) => {
        const reqId = this.nextReq++;
        const cmd = cmds(reqId, a);
        if (cmd === null) return null;
        return this.await<R>(a, reqId, cmd);
      }),
    ).then((rs) => rs.filter((r): r is Awaited<R> => r !== null));
  }

  async connect(credentials: Credential[], opts: { ratePerSec: number }): Promise<FleetStats> {
    if (this.agents.some((a) => this.waiters.has(connectReq(a)))) {
      throw new Error('a fleet connects one batch at a time: await the previous connect()');
    }
    const n = credentials.length;
    const shares = this.agents.map(
      (_, i) => Math.floor((n * (i + 1)) / this.agents.length) - Math.floor((n * i) / this.agents.length),
    );
    this.agents.forEach((a, i) => {
      const want = a.assigned + shares[i]!;
      if (want > a.fileLimit - FD_RESERVE) {
        throw new Error(
          `agent ${a.pid} would hold ${want} sockets but its open-file limit (RLIMIT_NOFILE soft) is ${a.fileLimit}: ` +
            `use more agents (at least ${Math.ceil((this.total + n) / (a.fileLimit - FD_RESERVE))}) or raise ulimit -n`,
        );
      }
    });
    const perAddress = (this.total + n) / this.opts.sourceAddresses.length;
    const ports = localPortsPerAddress();
    if (perAddress > ports) {
      this.log(
        `warning: ${Math.ceil(perAddress)} connections per source address but only ${ports} local ports: ` +
          'expect portsExhausted; add source addresses',
      );
    }
    const t0 = performance.now();
    const answers: Array<Promise<AgentReport>> = [];
    let offset = 0;
    this.agents.forEach((a, i) => {
      const share = shares[i]!;
      const cmd: AgentCommand & { firstIndex: number } = {
        type: 'connect',
        credentials: credentials.slice(offset, offset + share),
        ratePerSec: n === 0 ? 0 : (opts.ratePerSec * share) / n,
        firstIndex: this.total + offset,
      };
      a.assigned += share;
      offset += share;
      answers.push(this.await(a, connectReq(a), cmd));
    });
    this.total += n;
    const progress = setInterval(() => {
      void this.stats()
        .then((s) => {
          const sec = ((performance.now() - t0) / 1000).toFixed(0);
          this.log(
            `connect ${sec}s: open ${s.open}/${this.total} attempted ${s.attempted}; ${failureLine(s.failures)}` +
              `; agent loop delay max ${loopDelayMax(s)} ms`,
          );
        })
        .catch(() => {
          // An agent died: connect() itself rejects and says which.
        });
    }, PROGRESS_EVERY_MS);
    try {
      await Promise.all(answers);
    } finally {
      clearInterval(progress);
    }
    const stats = mergeStats(this.agents.map((a) => a.last!));
    const sec = ((performance.now() - t0) / 1000).toFixed(1);
    this.log(
      `connected in ${sec}s: open ${stats.open}/${this.total}, connect p99 ${stats.connectLatency.p99} ms; ${failureLine(stats.failures)}`,
    );
    return stats;
  }

  async stats(): Promise<FleetStats> {
    const rs = await this.ask<Extract<AgentReport, { type: 'stats' }>>((reqId) => ({ type: 'stats', reqId }));
    return mergeStats(rs.map((r) => r.stats));
  }

  async traffic(plan: TrafficPlan): Promise<TrafficResult> {
    // A fresh prefix per run: message ids stay unique (sends are idempotent by client id).
    const prefix = `${plan.name.replace(/[^A-Za-z0-9]/g, '').slice(0, 8) || 'run'}-${Date.now().toString(36)}${this.runs++}`;
    this.log(`traffic ${plan.name}: ${plan.senders.length} senders for ${plan.durationSec}s`);
    const rs = await this.ask<Extract<AgentReport, { type: 'traffic' }>>((reqId) => {
      const cmd: AgentCommand & { prefix: string } = { type: 'traffic', reqId, plan, prefix };
      return cmd;
    });
    const result = mergeTraffic(
      plan,
      rs.map((r): AgentTrafficPart => r.result),
    );
    this.log(
      `traffic ${plan.name}: sent ${result.sent} acked ${result.acked} delivered ${result.delivered}/${result.expectedDeliveries} ` +
        `lost ${result.lost} outOfOrder ${result.outOfOrder}; delivery p99 ${result.deliveryLatency.p99} ms`,
    );
    return result;
  }

  async reconnect(opts: { count: number; ratePerSec: number; syncOp?: string; syncBody?: string }): Promise<{
    stats: FleetStats;
    firstAnswer: ReturnType<Histogram['summary']>;
    elapsedSec: number;
    rate: number;
  }> {
    const before = await this.stats();
    const open = before.agents.map((a) => a.open);
    const totalOpen = open.reduce((x, y) => x + y, 0);
    const counts = open.map((o) => (totalOpen === 0 ? 0 : Math.round((opts.count * o) / totalOpen)));
    this.log(`reconnect ${counts.reduce((x, y) => x + y, 0)} of ${totalOpen} at ${opts.ratePerSec}/s`);
    const rs = await this.ask<Extract<AgentReport, { type: 'reconnected' }>>((reqId, a) => {
      const i = this.agents.indexOf(a);
      return {
        type: 'reconnect',
        reqId,
        count: counts[i]!,
        ratePerSec: opts.count === 0 ? 0 : (opts.ratePerSec * counts[i]!) / opts.count,
        ...(opts.syncOp === undefined ? {} : { syncOp: opts.syncOp }),
        ...(opts.syncBody === undefined ? {} : { syncBody: opts.syncBody }),
      };
    });
    const stats = mergeStats(rs.map((r) => r.stats));
    const firstAnswer = new Histogram();
    for (const r of rs) firstAnswer.merge(r.firstAnswer as HistogramData);
    // elapsedSec: the whole storm, until the last first answer; the rate counts connects over the
    // window from the first attempt to the last hello (answers to the sync request come after).
    const elapsedSec = Math.max(0, ...rs.map((r) => r.elapsedSec));
    const connectSec = Math.max(0, ...rs.map((r) => r.connectSec ?? r.elapsedSec));
    const reconnected = stats.established - before.established;
    const result = {
      stats,
      firstAnswer: firstAnswer.summary(),
      elapsedSec,
      rate: connectSec > 0 ? reconnected / connectSec : 0,
    };
    this.log(
      `reconnected ${reconnected} in ${connectSec.toFixed(1)}s (${result.rate.toFixed(0)}/s), all answered after ` +
        `${elapsedSec.toFixed(1)}s, first answer p99 ` +
        `${result.firstAnswer.p99} ms; ${failureLine(stats.failures)}`,
    );
    return result;
  }

  /** Send a command and wait for the report answering it (rejected if the agent dies). */
  private await<R extends AgentReport>(a: AgentHandle, reqId: number, cmd: AgentCommand): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiters.set(reqId, { agent: a, resolve: (r) => resolve(r as R), reject });
      a.child.send(cmd);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.agents.map(
        (a) =>
          new Promise<void>((resolve) => {
            if (a.child.exitCode !== null || a.child.signalCode !== null) return resolve();
            const kill = setTimeout(() => a.child.kill('SIGKILL'), 10_000);
            a.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            if (a.child.connected) a.child.send({ type: 'close' } satisfies AgentCommand);
            else a.child.kill();
          }),
      ),
    );
    rmSync(this.bundleDir, { recursive: true, force: true });
  }
}

/**
 * Source addresses of agent i: all of them, rotated so agents start on different ones. Each agent
 * takes them in turn, so every address carries the same share of the fleet whatever the ratio of
 * agents to addresses (32 agents over 22 addresses would otherwise double up 10 addresses and run
 * them out of ephemeral ports).
 */
export function addressesOf(i: number, addresses: string[]): string[] {
  const k = i % addresses.length;
  return [...addresses.slice(k), ...addresses.slice(0, k)];
}

export async function openFleet(opts: FleetOptions): Promise<Fleet> {
  if (opts.agents < 1) throw new Error('a fleet needs at least one agent');
  if (opts.sourceAddresses.length === 0) throw new Error('a fleet needs at least one source address');
  const { file, dir } = await bundleAgent();
  // Measured on 10,000 idle connections: one malloc arena, a 2 MiB young generation and one GC
  // helper thread take an agent's RSS from 6.3 to 2.9 KiB per connection (bench/load/README.md).
  // ZX_LOAD_AGENT_ARGS adds flags (e.g. --expose-gc); later flags win.
  const execArgv = [
    ...AGENT_NODE_FLAGS,
    ...(process.env.ZX_LOAD_AGENT_ARGS ?? '').split(' ').filter(Boolean),
  ];
  const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1' };
  // ZX_LOAD_KERNEL_PORTS=1: bind to port 0 as before (A/B runs of local-ports.ts).
  const kernelPorts = opts.kernelPorts ?? process.env.ZX_LOAD_KERNEL_PORTS === '1';
  const agents = await Promise.all(
    Array.from({ length: opts.agents }, async (_, i): Promise<AgentHandle> => {
      const child = fork(file, [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('message', (r: AgentReport) =>
          r.type === 'ready' ? resolve(r.pid) : reject(new Error(`agent said ${r.type} first`)),
        );
        child.once('exit', (code) => reject(new Error(`agent exited with ${String(code)} before ready`)));
      });
      const init: AgentCommand = {
        type: 'init',
        host: opts.host,
        port: opts.port,
        sourceAddresses: addressesOf(i, opts.sourceAddresses),
        ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
        base: 0,
        // Agents share the addresses: each picks its ports from its own share of the range.
        ...(kernelPorts ? {} : { portShare: { index: i, of: opts.agents } }),
      };
      child.send(init);
      return { child, pid, fileLimit: openFileLimit(pid), assigned: 0, last: undefined };
    }),
  );
  if (opts.progress !== false) {
    const limits = [...new Set(agents.map((a) => a.fileLimit))].join(', ');
    process.stderr.write(
      `[fleet] ${agents.length} agents (open-file limit ${limits}), ${opts.sourceAddresses.length} source addresses, ` +
        `local ports picked by ${kernelPorts ? 'the kernel (ZX_LOAD_KERNEL_PORTS=1)' : 'each agent from its share'}\n`,
    );
  }
  return new LoadFleet(opts, agents, dir);
}
