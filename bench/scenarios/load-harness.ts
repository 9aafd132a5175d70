import { openFleet } from '../load/fleet.ts';
import { WINDOW_SEC } from '../load/traffic-run.ts';
import { machineLoad, outsideLoad, sampleServer, type MachineLoad } from '../load/server-probe.ts';
import type { Fleet, FleetStats, LatencySummary, TrafficResult } from '../load/types.ts';
import type { Target } from '../lib/server.ts';
import { startClusterServer } from '../load/cluster-server.ts';

/**
 * What the issue 9 traffic scenarios (`throughput`, `fanout`, `cluster`, `soak`) share: server node
 * groups on a target, fleets sized to the per-process file limit, flag parsing, result summaries.
 */

/** Sockets per load agent and per server worker, under the 20,000 open files of a process. */
export const CONNS_PER_PROCESS = 15_000;

/** A `zhixin start --workers N` on its own port: one node of a cluster. */
export interface NodeGroup {
  port: number;
  /** The primary (or the only process): the root of the tree server-probe samples. */
  rootPid: number;
  workers: number;
  stop(): Promise<void>;
}

/**
 * Start one node group on `target` (a fresh port unless given, e.g. to restart on the same one),
 * ready once every worker answers (cluster-server.ts: raised file limit, long readiness wait).
 */
export async function startNodeGroup(target: Target, workers: number, port?: number): Promise<NodeGroup> {
  const server = await startClusterServer(target, { workers, ...(port === undefined ? {} : { port }) });
  return { port: server.port, rootPid: server.pid, workers, stop: () => server.stop() };
}

/** Server workers a run needs: the flag, else `fallback`, at least enough for the connections. */
export function workersFor(flag: unknown, fallback: number, connections: number): number {
  const needed = Math.ceil(connections / CONNS_PER_PROCESS);
  const asked = flag === undefined ? fallback : Number(flag);
  if (asked < needed)
    console.error(
      `${connections} connections need ${needed} server workers (${CONNS_PER_PROCESS} each): using ${needed}`,
    );
  return Math.max(asked, needed);
}

/** 127.0.0.2, 127.0.0.3, ...: each source address has its own ephemeral ports. */
export function sourceAddresses(count: number): string[] {
  return Array.from(
    { length: Math.max(1, count) },
    (_, i) => `127.0.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`,
  );
}

/** A fleet on one node group, enough agents and source addresses for `connections`. */
export async function fleetOn(
  port: number,
  connections: number,
  flags: Record<string, string | boolean | undefined>,
): Promise<Fleet> {
  const agents =
    flags.agents === undefined
      ? Math.max(1, Math.ceil(connections / CONNS_PER_PROCESS))
      : Number(flags.agents);
  // About 28,000 ephemeral ports per source address: one address per 20,000 connections is ample.
  const sources =
    flags.sources === undefined ? Math.max(2, Math.ceil(connections / 20_000)) : Number(flags.sources);
  return openFleet({ host: '127.0.0.1', port, agents, sourceAddresses: sourceAddresses(sources) });
}

/**
 * The load agents' CPU between two fleet samples, in cores over `seconds`: the generator shares the
 * machine's cores with the server, so a latency figure means little without it.
 */
export function agentCores(before: FleetStats[], after: FleetStats[], seconds: number): number {
  const spent = new Map<number, number>();
  for (const s of before) for (const a of s.agents) spent.set(a.pid, -a.cpuSeconds);
  let total = 0;
  for (const s of after) for (const a of s.agents) total += a.cpuSeconds + (spent.get(a.pid) ?? 0);
  return seconds > 0 ? Number((total / seconds).toFixed(3)) : 0;
}

/** The number a flag holds, or `fallback`. */
export function numberFlag(
  flags: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
): number {
  const v = flags[name];
  if (v === undefined || typeof v === 'boolean') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} ${v}: not a number`);
  return n;
}

/** Machine load at a point of the run; runs started under outside load are flagged, not hidden. */
export function machineState(): { load: MachineLoad; outsideLoad: string[] } {
  const load = machineLoad();
  return { load, outsideLoad: outsideLoad(load) };
}

const ms = (v: number) => Number(v.toFixed(2));

export function latency(s: LatencySummary): {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
} {
  return { p50: ms(s.p50), p99: ms(s.p99), p999: ms(s.p999), max: ms(s.max), count: s.count };
}

/** A traffic result as the reports show it (latencies in ms). */
export function trafficSummary(r: TrafficResult) {
  return {
    name: r.name,
    sent: r.sent,
    acked: r.acked,
    rejected: r.rejected,
    sendRate: Math.round(r.sendRate),
    expectedDeliveries: r.expectedDeliveries,
    delivered: r.delivered,
    lost: r.lost,
    outOfOrder: r.outOfOrder,
    duplicates: r.duplicates,
    ackMs: latency(r.ackLatency),
    deliveryMs: latency(r.deliveryLatency),
    /** Without each sender's first message (cold caches): what a run longer than its warm-up shows. */
    warmDeliveryMs: latency(r.warmDeliveryLatency),
    /** Where in the run the slow deliveries were: by the window their messages were sent in. */
    deliveryWindows: r.deliveryWindows.map((w, i) => ({
      fromSec: i * WINDOW_SEC,
      count: w.count,
      over100Ms: w.over100Ms,
      maxMs: Math.round(w.maxMs),
    })),
  };
}

/** The windows with deliveries over 100 ms, as one line: `10-15 s: 31 (max 412 ms)`. */
export function slowWindowsLine(summary: Pick<TrafficSummary, 'deliveryWindows'>): string {
  const slow = summary.deliveryWindows.filter((w) => w.over100Ms > 0);
  if (slow.length === 0) return 'no delivery over 100 ms';
  return slow
    .map((w) => `${w.fromSec}-${w.fromSec + WINDOW_SEC} s: ${w.over100Ms} (max ${w.maxMs} ms)`)
    .join(', ');
}

export type TrafficSummary = ReturnType<typeof trafficSummary>;

/** Sends the server refused, all codes together. */
export function rejectedCount(r: TrafficResult): number {
  return Object.values(r.rejected).reduce((a, b) => a + b, 0);
}

/** CPU seconds, RSS and fds of a node group now (a sample of its whole process tree). */
export function sampleGroup(g: NodeGroup) {
  return sampleServer(g.rootPid);
}

/** Stop everything started, in reverse, whatever fails. */
export async function closeAll(steps: Array<(() => Promise<void>) | undefined>): Promise<void> {
  for (const step of steps.reverse()) {
    if (!step) continue;
    try {
      await step();
    } catch (err) {
      console.error(`cleanup: ${(err as Error).message}`);
    }
  }
}
