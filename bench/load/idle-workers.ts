/**
 * Idle CPU of a cluster server with no connections (issue 9): start `zhixin start --workers N`,
 * let it settle, then read every server process's CPU time from /proc over a window and print the
 * cores each one used, the primary apart from the workers, and NATS's own CPU when it runs here.
 *
 *   npx tsx bench/load/idle-workers.ts --workers 32 --target pg --settle 20 --window 60
 *
 * Extra ZX_* settings for the server come from the environment (ZX_BENCH_SERVER_ENV="K=V K=V").
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepareTarget } from '../lib/server.ts';
import { startClusterServer } from './cluster-server.ts';
import { sampleServer } from './server-probe.ts';

const TICKS = 100;

function natsPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'nats-server') return Number(entry);
    } catch {
      // The process went away while we looked.
    }
  }
  return undefined;
}

function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    args: process.argv.slice(2),
    options: {
      workers: { type: 'string', default: '32' },
      settle: { type: 'string', default: '20' },
      window: { type: 'string', default: '60' },
      target: { type: 'string', default: 'pg' },
    },
  });
  const workers = Number(flags.workers);
  const target = await prepareTarget(flags.target === 'sqlite' ? 'sqlite' : 'pg');
  const env: NodeJS.ProcessEnv = {};
  for (const pair of (process.env.ZX_BENCH_SERVER_ENV ?? '').split(' ').filter(Boolean)) {
    const at = pair.indexOf('=');
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const server = await startClusterServer(target, { workers, env });
  try {
    await new Promise((r) => setTimeout(r, Number(flags.settle) * 1000));
    const nats = natsPid();
    const natsBefore = nats ? cpuOf(nats) : 0;
    const before = sampleServer(server.pid);
    await new Promise((r) => setTimeout(r, Number(flags.window) * 1000));
    const after = sampleServer(server.pid);
    const natsAfter = nats ? cpuOf(nats) : 0;
    const seconds = (after.atMs - before.atMs) / 1000;
    const perPid = new Map(before.processes.map((p) => [p.pid, p.cpuSeconds]));
    const rows = after.processes
      .filter((p) => perPid.has(p.pid))
      .map((p) => ({ pid: p.pid, comm: p.comm, cores: (p.cpuSeconds - (perPid.get(p.pid) ?? 0)) / seconds }));
    const worker = rows.filter((r) => r.pid !== server.pid && r.comm !== 'prlimit');
    const primary = rows.filter((r) => r.pid === server.pid || r.comm === 'prlimit');
    const sorted = worker.map((r) => r.cores).sort((a, b) => a - b);
    const result = {
      workers,
      target: flags.target,
      seconds,
      serverCores: (after.cpuSeconds - before.cpuSeconds) / seconds,
      primaryCores: primary.reduce((s, r) => s + r.cores, 0),
      workerCoresMedian: sorted[Math.floor(sorted.length / 2)] ?? 0,
      workerCoresMax: sorted[sorted.length - 1] ?? 0,
      natsCores: nats ? (natsAfter - natsBefore) / seconds : null,
      rssMiB: after.rssBytes / 2 ** 20,
      pssMiB: after.pssBytes / 2 ** 20,
      env,
    };
    console.log(
      `idle: ${workers} workers, server ${result.serverCores.toFixed(3)} cores ` +
        `(primary ${result.primaryCores.toFixed(3)}, worker median ${(result.workerCoresMedian * 1000).toFixed(1)} ms/s, ` +
        `max ${(result.workerCoresMax * 1000).toFixed(1)} ms/s), nats ${result.natsCores?.toFixed(3) ?? 'n/a'} cores, ` +
        `RSS ${result.rssMiB.toFixed(0)} MiB, PSS ${result.pssMiB.toFixed(0)} MiB`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
