/**
 * The server side of the load scenarios (issue 9): `zhixin start --workers N` on a bench target,
 * each process allowed FILE_LIMIT open files, ready once every worker answers.
 *
 * How to call it (helper scenarios keep to this API):
 *
 *   const kernel = checkKernel();                 // prints and fixes what a fast ramp needs
 *   const server = await startClusterServer(target, { workers: 32 });
 *   // ws://127.0.0.1:${server.port}/ws ... server.pid is the root of the process tree to sample
 *   await server.stop();
 *
 * SQLite targets run the workers over the primary's IPC relay; PostgreSQL targets (target.natsUrl
 * set) run them over NATS, as a cluster of nodes would. Extra environment (ZX_*) goes in `env`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { logTail, openServerLog } from '../lib/server-log.ts';
import { benchEnv, freePort, serverCommand, stopServer, type Target } from '../lib/server.ts';

/** The hard limit of this machine per process (`ulimit -Hn`): soft limits are raised to it. */
export const FILE_LIMIT = 20_000;
/** The backlog a fast ramp needs: the default 511 (and syn backlog 2048) drop connections silently. */
export const WANTED_BACKLOG = 4096;

export interface ClusterServer {
  /** The cluster primary: the root of the server's process tree. */
  pid: number;
  port: number;
  workers: number;
  /** Node ids of the workers that answered /readyz. */
  nodes: string[];
  /** Seconds from spawn until every worker answered. */
  readySeconds: number;
  /** The server's stdout and stderr (`server.log` in the target's data dir). */
  logPath: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface KernelSettings {
  somaxconn: number;
  tcpMaxSynBacklog: number;
  /** Ports in the kernel's ephemeral range (the load agents bind theirs outside it: local-ports.ts). */
  ephemeralPorts: number;
  portRange: string;
  /** TCP buffer memory limits in pages (min, pressure, max). */
  tcpMemPages: number[];
  fileMax: number;
  /** What was changed (we run as root), in words. */
  changes: string[];
  /** Settings that will stop a large run, in words. */
  warnings: string[];
}

function sysctl(key: string): string {
  return readFileSync(`/proc/sys/${key.replaceAll('.', '/')}`, 'utf8').trim();
}

/**
 * Print and check the kernel settings a ramp of many connections depends on; raise
 * tcp_max_syn_backlog to WANTED_BACKLOG with sysctl when it is lower (we are root).
 */
export function checkKernel(log: (line: string) => void = (l) => console.error(l)): KernelSettings {
  const changes: string[] = [];
  const warnings: string[] = [];
  let synBacklog = Number(sysctl('net.ipv4.tcp_max_syn_backlog'));
  if (synBacklog < WANTED_BACKLOG) {
    try {
      execFileSync('sysctl', ['-w', `net.ipv4.tcp_max_syn_backlog=${WANTED_BACKLOG}`], { stdio: 'ignore' });
      changes.push(
        `raised net.ipv4.tcp_max_syn_backlog from ${synBacklog} to ${WANTED_BACKLOG} (sysctl -w, as root)`,
      );
      synBacklog = Number(sysctl('net.ipv4.tcp_max_syn_backlog'));
    } catch (err) {
      warnings.push(`net.ipv4.tcp_max_syn_backlog is ${synBacklog} and could not be raised: ${String(err)}`);
    }
  }
  const somaxconn = Number(sysctl('net.core.somaxconn'));
  if (somaxconn < WANTED_BACKLOG)
    warnings.push(
      `net.core.somaxconn is ${somaxconn} (< ${WANTED_BACKLOG}): listen backlogs are capped to it`,
    );
  const portRange = sysctl('net.ipv4.ip_local_port_range').split(/\s+/).join('-');
  const [low, high] = portRange.split('-').map(Number) as [number, number];
  const tcpMemPages = sysctl('net.ipv4.tcp_mem').split(/\s+/).map(Number);
  const fileMax = Number(sysctl('fs.file-max'));
  const settings: KernelSettings = {
    somaxconn,
    tcpMaxSynBacklog: synBacklog,
    ephemeralPorts: high - low + 1,
    portRange,
    tcpMemPages,
    fileMax,
    changes,
    warnings,
  };
  log(
    `kernel: somaxconn ${somaxconn}, tcp_max_syn_backlog ${synBacklog}, ip_local_port_range ${portRange} ` +
      `(the kernel's; load agents bind their own ports outside it), tcp_mem ${tcpMemPages.join(' ')} pages, ` +
      `file-max ${fileMax}`,
  );
  for (const c of changes) log(`kernel: ${c}`);
  for (const w of warnings) log(`kernel: WARNING ${w}`);
  return settings;
}

/** GET /readyz on a new connection (not a kept-alive one), so round robin reaches every worker. */
function readyNode(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(null);
        try {
          const parsed = JSON.parse(body) as { node?: unknown };
          resolve(typeof parsed.node === 'string' ? parsed.node : null);
        } catch {
          resolve(null);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
  });
}

/**
 * Start `zhixin start` with `workers` workers on `target` under `prlimit --nofile=FILE_LIMIT`, and
 * resolve once `workers` distinct workers have answered /readyz (default timeout: 300 s + 10 s per
 * worker: each worker compiles, unseals and builds the app, and 32 of them share 2 cores; on a busy
 * machine even 2 workers have taken over 2 minutes).
 */
export async function startClusterServer(
  target: Target,
  opts: { workers: number; port?: number; readyTimeoutMs?: number; env?: NodeJS.ProcessEnv },
): Promise<ClusterServer> {
  const port = opts.port ?? (await freePort());
  const env = { ...benchEnv(target, port, opts.workers), ...opts.env };
  // ZX_BENCH_NODE_ARGS passes extra flags to the server processes (e.g. --cpu-prof), as bench/lib/server.ts.
  const extra = (process.env.ZX_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const started = performance.now();
  // Its warnings (slow consumers, heartbeat timeouts, worker restarts) are kept for the run's summary.
  const serverLog = openServerLog(target.dataDir);
  const child = spawn(
    'prlimit',
    [`--nofile=${FILE_LIMIT}:${FILE_LIMIT}`, '--', process.execPath, ...extra, ...serverCommand(), 'start'],
    { env, stdio: ['ignore', serverLog.fd, serverLog.fd] },
  );
  serverLog.close();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the server');
  // A scenario that dies must not leave N workers holding ports and memory behind it.
  // Ctrl-C or a SIGTERM ends Node without 'exit' handlers: kill the server there too, then exit.
  const killOnExit = () => child.kill('SIGKILL');
  const killOnSignal = (signal: NodeJS.Signals) => {
    child.kill('SIGKILL');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);
  child.once('exit', () => {
    process.off('exit', killOnExit);
    process.off('SIGINT', killOnSignal);
    process.off('SIGTERM', killOnSignal);
  });
  const nodes = new Set<string>();
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 300_000 + 10_000 * opts.workers);
  let lastSay = Date.now();
  while (nodes.size < opts.workers) {
    if (child.exitCode !== null)
      throw new Error(
        `server exited with ${child.exitCode} before it was ready; ${serverLog.path} ends:\n${logTail(serverLog.path)}`,
      );
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`only ${nodes.size}/${opts.workers} workers answered /readyz in time`);
    }
    const node = await readyNode(port);
    if (node) nodes.add(node);
    else await new Promise((r) => setTimeout(r, 250));
    if (Date.now() - lastSay > 10_000) {
      console.error(`server: ${nodes.size}/${opts.workers} workers ready`);
      lastSay = Date.now();
    }
  }
  const readySeconds = (performance.now() - started) / 1000;
  console.error(
    `server: ${opts.workers} workers ready on port ${port} in ${readySeconds.toFixed(1)} s (pid ${pid}); log ${serverLog.path}`,
  );
  return {
    pid,
    port,
    workers: opts.workers,
    nodes: [...nodes].sort(),
    readySeconds,
    logPath: serverLog.path,
    child,
    stop: () => stopServer(child),
  };
}
