import type { BenchArgs } from '../lib/args.ts';
import { probeLatency, round } from './cluster-latency.ts';
import { triadLatency } from './cluster-triads.ts';
import {
  closeCluster,
  openCluster,
  probeLoss,
  restartGroupB,
  runSide,
  type ClusterSetup,
} from './cluster-setup.ts';
import type { TrafficResult } from '../load/types.ts';
import { machineState, numberFlag, trafficSummary } from './load-harness.ts';

/** S6's bar: what crossing nodes (NATS) may add to the p99, ms. */
export const ADDED_P99_LIMIT_MS = 2;

/**
 * `cluster` (S6): two node groups (`zhixin start` on two ports, `--workers` each) on one PostgreSQL
 * database and NATS; `--n` (2,000) users split between them chat in direct pairs at `--rate` (400)
 * msgs/s, half of the pairs across the nodes; `--groups` (0) groups of `--group-size` (100) members,
 * alternating between the nodes, get `--group-rate` (10) msgs/s; `--probes` (40) probe pairs (A→A,
 * A→B, B→B, B→A) send `--probe-rate` (5) msgs/s each, and so do `--triads` (20) probe triads
 * (cluster-triads.ts: a sender and a member on one node, a member on the other, in a group of three).
 * Phase 1 (`--duration`, 30 s): same-node vs cross-node latency in the same run, and per message
 * the far member's arrival minus the near one's (the bar reads that p99 when there are triads).
 * Phase 2 (`--restart-duration`, 40 s): node group B is restarted `--restart-at` (10) s in; its
 * clients reconnect and pull what they missed; every acked probe message must reach its receiver,
 * live or by sync.
 */
export async function runClusterBench(args: BenchArgs) {
  const f = args.flags;
  if (f.target !== undefined && f.target !== 'pg')
    throw new Error('cluster runs on PostgreSQL + NATS only (--target pg)');
  const n = Math.max(8, 8 * Math.round(numberFlag(f, 'n', 2000) / 8));
  const rates = {
    rate: numberFlag(f, 'rate', 400),
    groupRate: numberFlag(f, 'group-rate', 10),
    sendersPerGroup: numberFlag(f, 'senders-per-group', 10),
    durationSec: f.duration === undefined ? 30 : args.duration,
  };
  const probeCount = Math.max(4, numberFlag(f, 'probes', 40));
  const probeRate = numberFlag(f, 'probe-rate', 5);
  const phase2Sec = numberFlag(f, 'restart-duration', 40);
  const restartAt = numberFlag(f, 'restart-at', 10);
  const machineBefore = machineState();
  let s: ClusterSetup | undefined;
  try {
    s = await openCluster(f, {
      n,
      groups: numberFlag(f, 'groups', 0),
      groupSize: numberFlag(f, 'group-size', 100),
      idle: 0,
      probes: probeCount,
      triads: numberFlag(f, 'triads', 20),
    });
    const cluster = s;
    for (const p of cluster.probes) {
      p.receiver.recording = true;
      p.start(probeRate);
    }
    for (const t of cluster.triads) t.start(probeRate);
    const [a1, b1] = await Promise.all([
      runSide(cluster, cluster.a, rates),
      runSide(cluster, cluster.b, rates),
    ]);
    for (const p of cluster.probes) p.receiver.recording = false;
    for (const t of cluster.triads) t.stop();
    const same = probeLatency(cluster.probes, 'same-node');
    const cross = probeLatency(cluster.probes, 'cross-node');
    const paired = triadLatency(cluster.triads);
    console.error(
      `[cluster] same-node p50 ${same.p50} p99 ${same.p99} ms; cross-node p50 ${cross.p50} p99 ${cross.p99} ms ` +
        `(difference of p99s ${round(cross.p99 - same.p99)} ms); per message, far minus near member of ` +
        `${cluster.triads.length} triads: p50 ${paired.p50} p99 ${paired.p99} p99.9 ${paired.p999} ms (${paired.count} messages)`,
    );
    // The bar is read per message when there are triads; without them, as the difference of p99s.
    const addedP99 = paired.count > 0 ? paired.p99 : cross.p99 - same.p99;

    // Phase 2: A's users keep chatting (half of it with users on B) while B restarts.
    const trafficA = runSide(cluster, cluster.a, { ...rates, durationSec: phase2Sec });
    await new Promise((r) => setTimeout(r, restartAt * 1000));
    const restart = await restartGroupB(cluster, f);
    const a2 = await trafficA;
    for (const p of cluster.probes) p.stop();
    await new Promise((r) => setTimeout(r, 3000));
    const loss = await probeLoss(cluster.probes);
    const machineAfter = machineState();
    const summary = (x: { s3: TrafficResult; s4: TrafficResult | null }) => ({
      direct: trafficSummary(x.s3),
      ...(x.s4 ? { group: trafficSummary(x.s4) } : {}),
    });
    const result = {
      scenario: 'cluster',
      date: new Date().toISOString(),
      target: 'postgresql+nats',
      nodeGroups: 2,
      workersPerGroup: cluster.a.group.workers,
      users: n,
      groups: cluster.groups.length,
      rates,
      probes: { pairs: cluster.probes.length, triads: cluster.triads.length, ratePerPair: probeRate },
      latency: {
        sameNodeMs: same,
        crossNodeMs: cross,
        addedP50Ms: round(cross.p50 - same.p50),
        addedP99Ms: round(cross.p99 - same.p99),
        perMessageAddedMs: paired,
      },
      traffic: { phase1: { a: summary(a1), b: summary(b1) }, phase2: { a: summary(a2) } },
      restart,
      loss,
      passed: loss.lost === 0 && addedP99 <= ADDED_P99_LIMIT_MS,
      machine: {
        before: machineBefore.load,
        after: machineAfter.load,
        outsideLoadBefore: machineBefore.outsideLoad,
      },
    };
    console.error(
      `[cluster] restart: ${loss.acked} probe messages acked, ${loss.missedLive} missed live (fetched by sync), ` +
        `${loss.lost} lost${result.passed ? '' : ' — FAILS the bar'}`,
    );
    return result;
  } finally {
    await closeCluster(s);
  }
}
