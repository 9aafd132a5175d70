/**
 * The server's footprint per idle authenticated connection (issue 9, S1):
 *
 *   npx tsx bench/load/footprint.ts --n 10000 [--hold 30] [--heartbeat 25] [--snapshot] [--strict]
 *
 * One server process (one worker) on a fresh SQLite store with `--n` minted logins; a child process
 * opens `--n` WebSocket connections, authenticates them and idles like the SDK (a ping frame per
 * heartbeat). Measured through the server's inspector (a forced GC, then process.memoryUsage) and
 * /proc (RSS, fds, kernel socket memory): before and after connecting, divided by n. Then the CPU
 * the server spends on the idle connections over `--hold` seconds (server pings and client pings).
 * `--snapshot` also takes heap snapshots before and after and prints what grew per connection;
 * `--profile FILE.cpuprofile` records where the idle CPU goes (costs some CPU itself).
 * Prints a human summary on stderr and one JSON line on stdout.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchEnv, freePort, startServer, stopServer } from '../lib/server.ts';
import type { ClientsCommand, ClientsReport } from './footprint-clients.ts';
import { censusOfFile, formatGrowth, growthPer } from './heap-census.ts';
import { InspectorClient, type InspectedMemory } from './inspector-client.ts';
import { mintLogins, targetFor } from './mint.ts';
import {
  diffServer,
  kernelSocketMemory,
  machineLoad,
  outsideLoad,
  sampleServer,
  serverKernelShare,
  type KernelSocketMemory,
} from './server-probe.ts';
import type { Credential } from './types.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    hold: { type: 'string', default: '30' },
    heartbeat: { type: 'string' },
    snapshot: { type: 'boolean', default: false },
    /** Write a CPU profile of the idle hold (inspector Profiler) to this path. */
    profile: { type: 'string' },
    strict: { type: 'boolean', default: false },
    target: { type: 'string', default: 'sqlite' },
    reuse: { type: 'string' },
    concurrency: { type: 'string', default: '100' },
  },
  strict: true,
});
const n = Number(values.n);
const holdSec = Number(values.hold);
const say = (m: string) => console.error(`footprint: ${m}`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;

function readKernel(): KernelSocketMemory | undefined {
  try {
    return kernelSocketMemory();
  } catch {
    return undefined;
  }
}

function startClients(): ChildProcess {
  return fork(join(import.meta.dirname, 'footprint-clients.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function openConnections(
  clients: ChildProcess,
  port: number,
  credentials: Credential[],
): Promise<Extract<ClientsReport, { type: 'opened' }>> {
  return new Promise((resolve) => {
    clients.on('message', (report: ClientsReport) => {
      if (report.type === 'opened') resolve(report);
      else say(`${report.count} connections dropped by the server`);
    });
    const cmd: ClientsCommand = {
      type: 'open',
      port,
      credentials,
      concurrency: Number(values.concurrency),
    };
    clients.send(cmd);
  });
}

function perConnection(before: InspectedMemory, after: InspectedMemory, count: number) {
  const per = (k: 'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers') =>
    Math.round((after[k] - before[k]) / count);
  return {
    rss: per('rss'),
    heapUsed: per('heapUsed'),
    heapTotal: per('heapTotal'),
    external: per('external'),
    arrayBuffers: per('arrayBuffers'),
  };
}

async function main(): Promise<void> {
  const load = machineLoad();
  const busy = outsideLoad(load);
  if (busy.length) {
    say(`outside load: ${busy.join('; ')}`);
    if (values.strict) process.exit(3);
  }
  const target = await targetFor({ target: values.target, ...(values.reuse ? { reuse: values.reuse } : {}) });
  const minted = await mintLogins(target, n);
  say(`${n} logins ready in ${minted.seconds.toFixed(1)} s (${target.dataDir})`);
  const [port, inspectPort] = [await freePort(), await freePort()];
  const env = benchEnv(target, port, 1);
  if (values.heartbeat) env.ZX_GATEWAY_HEARTBEAT_SECONDS = values.heartbeat;
  process.env.ZX_BENCH_NODE_ARGS = [
    process.env.ZX_BENCH_NODE_ARGS ?? '',
    `--inspect=127.0.0.1:${inspectPort}`,
  ]
    .join(' ')
    .trim();
  const server = await startServer(env, port);
  const clients = startClients();
  const inspector = await InspectorClient.connect(inspectPort);
  try {
    const pid = server.pid as number;
    // Let start-up work (migrations, caches, JIT) settle before the baseline.
    await new Promise((r) => setTimeout(r, 3000));
    const snapBefore = join(target.dataDir, 'before.heapsnapshot');
    if (values.snapshot) await inspector.heapSnapshot(snapBefore);
    const memBefore = await inspector.memoryAfterGc();
    const procBefore = sampleServer(pid);
    const kernelBefore = readKernel();

    const opened = await openConnections(clients, port, minted.credentials);
    say(
      `${opened.established} connections open in ${opened.seconds.toFixed(1)} s, ${opened.failed} failed` +
        (opened.samples.length ? ` (${opened.samples.join('; ')})` : ''),
    );
    if (opened.established === 0) throw new Error('no connection opened');
    await new Promise((r) => setTimeout(r, 2000));
    const kernelAfter = readKernel();
    const memAfter = await inspector.memoryAfterGc();
    const procAfter = sampleServer(pid);
    const count = opened.established;
    const per = perConnection(memBefore, memAfter, count);
    const grown = diffServer(procBefore, procAfter);
    const kernel = kernelBefore && kernelAfter ? serverKernelShare(kernelBefore, kernelAfter) : undefined;
    const kernelPer = kernel ? Math.round(kernel.bytes / count) : undefined;
    const procRssPer = Math.round(grown.rssBytes / count);
    say(
      `per connection: RSS ${kib(procRssPer)} (/proc), heap used ${kib(per.heapUsed)}, ` +
        `external ${kib(per.external)} (array buffers ${kib(per.arrayBuffers)}), ` +
        `kernel (server half) ${kernelPer === undefined ? 'n/a' : kib(kernelPer)}, ` +
        `all-in ${kib(procRssPer + (kernelPer ?? 0))}; fds +${grown.fds}`,
    );
    say(`active resources: ${JSON.stringify(memAfter.resources)}`);

    let census: string | undefined;
    if (values.snapshot) {
      const snapAfter = join(target.dataDir, 'after.heapsnapshot');
      await inspector.heapSnapshot(snapAfter);
      census = formatGrowth(growthPer(censusOfFile(snapBefore), censusOfFile(snapAfter), count), 40);
      console.error(census);
    }

    let idle: { seconds: number; cpuSeconds: number; cores: number } | undefined;
    if (holdSec > 0) {
      if (values.profile) {
        await inspector.call('Profiler.enable');
        await inspector.call('Profiler.start');
      }
      const cpuStart = sampleServer(pid);
      await new Promise((r) => setTimeout(r, holdSec * 1000));
      const spent = diffServer(cpuStart, sampleServer(pid));
      if (values.profile) {
        const { profile } = await inspector.call<{ profile: unknown }>('Profiler.stop');
        writeFileSync(values.profile, JSON.stringify(profile));
        say(`CPU profile of the hold in ${values.profile}`);
      }
      idle = { seconds: spent.wallSeconds, cpuSeconds: spent.cpuSeconds, cores: spent.cores };
      say(
        `idle ${spent.wallSeconds.toFixed(1)} s: ${spent.cpuSeconds.toFixed(2)} CPU s ` +
          `(${(spent.cores * 100).toFixed(1)}% of a core; ${((spent.cores * 600_000 * 100) / count).toFixed(0)}% ` +
          `at 600,000 connections, linearly)`,
      );
    }
    const result = {
      scenario: 'footprint',
      date: new Date().toISOString(),
      n,
      connections: count,
      failed: opened.failed,
      connectSeconds: opened.seconds,
      heartbeatSeconds: Number(values.heartbeat ?? 25),
      perConnectionBytes: {
        procRss: procRssPer,
        ...per,
        kernelServerHalf: kernelPer ?? null,
        allIn: procRssPer + (kernelPer ?? 0),
      },
      server: { rssBytes: procAfter.rssBytes, fds: procAfter.fds, processes: procAfter.processes.length },
      kernel: kernelAfter ? { caches: kernelAfter.caches, tcp: kernelAfter.tcp } : null,
      resources: memAfter.resources,
      idle: idle ?? null,
      loadBefore: { load1: load.load1, cpus: load.cpus, outside: busy },
    };
    console.log(JSON.stringify(result));
  } finally {
    inspector.close();
    clients.send({ type: 'close' } satisfies ClientsCommand);
    await stopServer(server);
  }
}

await main();
