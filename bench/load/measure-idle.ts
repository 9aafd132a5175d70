/**
 * The generator's own footprint: one agent opens `--n` idle connections (heartbeats on) to a real
 * server and reports its RSS and V8 heap per connection (after a full GC). The server runs as its
 * own process; a handful of users' tokens are reused, which costs the agent the same as distinct ones.
 *
 *   npx tsx bench/load/measure-idle.ts --n 10000 --rate 1000 --hold 10
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepareTarget, benchEnv, freePort, startServer, stopServer } from '../lib/server.ts';
import { seedUsers } from '../lib/seed.ts';
import { openFleet } from './fleet.ts';
import type { Credential, FleetStats } from './types.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1000' },
    hold: { type: 'string', default: '10' },
    addresses: { type: 'string', default: '2' },
  },
});
const n = Number(values.n);
const KiB = 1024;

/** Private (anonymous) memory of a process: RSS without the node binary's pages every agent shares. */
function privateBytes(pid: number): number {
  const kib = /^Pss_Anon:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
  return kib === undefined ? NaN : Number(kib) * 1024;
}

function agentOf(s: FleetStats): { rss: number; heap: number; anon: number } {
  const a = s.agents[0]!;
  return { rss: a.rssBytes, heap: a.heapUsedBytes ?? NaN, anon: privateBytes(a.pid) };
}

const target = await prepareTarget('sqlite');
const users = await seedUsers(target, 20, 20);
const port = await freePort();
const server = await startServer(benchEnv(target, port, 1), port);
process.env.ZX_LOAD_AGENT_ARGS = `--expose-gc ${process.env.ZX_LOAD_AGENT_ARGS ?? ''}`;
const fleet = await openFleet({
  host: '127.0.0.1',
  port,
  agents: 1,
  sourceAddresses: Array.from({ length: Number(values.addresses) }, (_, i) => `127.0.0.${i + 2}`),
});
try {
  const before = agentOf(await fleet.stats());
  const creds: Credential[] = Array.from({ length: n }, (_, i) => users[i % users.length]!);
  const connected = await fleet.connect(creds, { ratePerSec: Number(values.rate) });
  await new Promise((r) => setTimeout(r, Number(values.hold) * 1000));
  const held = await fleet.stats();
  const after = agentOf(held);
  const open = held.open;
  const line = {
    n,
    open,
    failures: held.failures,
    connectP99Ms: connected.connectLatency.p99,
    agentRssBeforeMiB: +(before.rss / KiB / KiB).toFixed(1),
    agentRssAfterMiB: +(after.rss / KiB / KiB).toFixed(1),
    agentHeapBeforeMiB: +(before.heap / KiB / KiB).toFixed(2),
    agentHeapAfterMiB: +(after.heap / KiB / KiB).toFixed(2),
    agentPrivateBeforeMiB: +(before.anon / KiB / KiB).toFixed(1),
    agentPrivateAfterMiB: +(after.anon / KiB / KiB).toFixed(1),
    rssPerConnKiB: +((after.rss - before.rss) / open / KiB).toFixed(2),
    heapPerConnKiB: +((after.heap - before.heap) / open / KiB).toFixed(2),
    agentCpuSeconds: +held.agents[0]!.cpuSeconds.toFixed(2),
  };
  console.log(JSON.stringify(line));
} finally {
  await fleet.close();
  await stopServer(server);
}
