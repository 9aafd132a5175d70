import type { BenchArgs } from '../lib/args.ts';
import type { ServerSample } from '../load/server-probe.ts';
import type { TrafficResult } from '../load/types.ts';
import { probeLatency, round } from './cluster-latency.ts';
import {
  closeCluster,
  openCluster,
  probeLoss,
  restartGroupB,
  runSide,
  type ClusterSetup,
  type SideRates,
} from './cluster-setup.ts';
import { FANOUT_P99_LIMIT_MS } from './group-fanout.ts';
import { machineState, numberFlag, rejectedCount, sampleGroup } from './load-harness.ts';
import { P99_LIMIT_MS } from './throughput.ts';

/** S10's bars. */
export const MAX_ERROR_RATE = 0.0001;
export const MAX_RSS_DRIFT = 0.05;

/** Per server process of a node group at one sample: the leak check reads fds and RSS per process. */
function processes(s: ServerSample) {
  return s.processes.map((p) => ({ pid: p.pid, rssBytes: p.rssBytes, fds: p.fds }));
}

/** Errors of one traffic window: refused sends, unanswered sends and lost deliveries. */
function errorsOf(r: TrafficResult | null): { sent: number; errors: number } {
  if (!r) return { sent: 0, errors: 0 };
  return { sent: r.sent, errors: rejectedCount(r) + (r.sent - r.acked) + r.lost };
}

/**
 * "S3/S4 targets still met": the windows whose direct (S3) or group (S4) delivery p99 is over its
 * bar, and the median and worst window p99. The restart window is left out (B is down in it).
 */
export function latencyVerdict(
  samples: ReadonlyArray<{ restartedB: boolean; s3P99Ms: number; s4P99Ms: number }>,
) {
  const steady = samples.filter((x) => !x.restartedB);
  const of = (values: number[], limit: number) => {
    const sorted = [...values].sort((x, y) => x - y);
    return {
      limitMs: limit,
      windowsOver: values.filter((v) => v > limit).length,
      medianWindowP99Ms: sorted.length > 0 ? (sorted[(sorted.length - 1) >> 1] as number) : null,
      worstWindowP99Ms: sorted.at(-1) ?? null,
    };
  };
  const s3 = of(
    steady.map((x) => x.s3P99Ms),
    P99_LIMIT_MS,
  );
  const s4 = of(
    steady.map((x) => x.s4P99Ms),
    FANOUT_P99_LIMIT_MS,
  );
  return { windows: steady.length, s3, s4, met: s3.windowsOver === 0 && s4.windowsOver === 0 };
}

/** Growth from the first to the last value, as a fraction of the first. */
function drift(values: number[]): number | null {
  const first = values[0];
  const last = values[values.length - 1];
  return first === undefined || last === undefined || first === 0 ? null : round((last - first) / first);
}

/**
 * `soak` (S10): the cluster layout (two node groups on PostgreSQL + NATS) with S1-style idle
 * connections (`--idle`), S3 direct pairs (`--n` users, `--rate` msgs/s), S4 groups (`--groups` of
 * `--group-size`, `--group-rate` msgs/s) and probe pairs, for `--duration` seconds (issue: 3,600) in
 * `--duration / --sample-every` (30 s) windows; node group B restarts in the window of `--restart-at`
 * (half way; never the first, so there is a sample before it). Each window
 * samples error rate, RSS and fds per server process, S3/S4/probe latencies. Channel push (S5) is
 * not in the mix: its scenario exposes no function to run beside others.
 */
export async function runSoakBench(args: BenchArgs) {
  const f = args.flags;
  if (f.target !== undefined && f.target !== 'pg')
    throw new Error('soak runs on PostgreSQL + NATS only (--target pg)');
  const durationSec = f.duration === undefined ? 3600 : args.duration;
  const windowSec = numberFlag(f, 'sample-every', 30);
  const restartAt = numberFlag(f, 'restart-at', durationSec / 2);
  const rates: SideRates = {
    rate: numberFlag(f, 'rate', 1600),
    groupRate: numberFlag(f, 'group-rate', 50),
    sendersPerGroup: numberFlag(f, 'senders-per-group', 10),
    durationSec: windowSec,
    drainSec: 2,
  };
  const machineBefore = machineState();
  let s: ClusterSetup | undefined;
  try {
    s = await openCluster(f, {
      n: Math.max(8, 8 * Math.round(numberFlag(f, 'n', 20_000) / 8)),
      groups: numberFlag(f, 'groups', 20),
      groupSize: numberFlag(f, 'group-size', 1000),
      idle: numberFlag(f, 'idle', 0),
      probes: Math.max(4, numberFlag(f, 'probes', 40)),
    });
    const cluster = s;
    for (const p of cluster.probes) {
      p.receiver.recording = true;
      p.start(numberFlag(f, 'probe-rate', 2));
    }
    const samples = [];
    let sent = 0;
    let errors = 0;
    let restart: Awaited<ReturnType<typeof restartGroupB>> | undefined;
    const started = performance.now();
    // A fixed number of windows: the restart window lasts longer (the node group starts again).
    const windows = Math.max(1, Math.round(durationSec / windowSec));
    const restartWindow = Math.min(windows - 1, Math.max(1, Math.floor(restartAt / windowSec)));
    for (let w = 0; w < windows; w++) {
      const at = (performance.now() - started) / 1000;
      for (const p of cluster.probes) p.receiver.latencies.length = 0;
      const restarting = w === restartWindow;
      const [a, b, r] = await Promise.all([
        runSide(cluster, cluster.a, rates),
        restarting ? Promise.resolve(null) : runSide(cluster, cluster.b, rates),
        restarting ? restartGroupB(cluster, f) : Promise.resolve(undefined),
      ]);
      if (r) restart = r;
      for (const x of [a.s3, a.s4, b?.s3 ?? null, b?.s4 ?? null]) {
        const e = errorsOf(x);
        sent += e.sent;
        errors += e.errors;
      }
      const serverA = sampleGroup(cluster.a.group);
      const serverB = sampleGroup(cluster.b.group);
      const sample = {
        window: w,
        atSec: Math.round(at),
        restartedB: restarting,
        s3P99Ms: round(Math.max(a.s3.deliveryLatency.p99, b?.s3.deliveryLatency.p99 ?? 0)),
        s4P99Ms: round(Math.max(a.s4?.deliveryLatency.p99 ?? 0, b?.s4?.deliveryLatency.p99 ?? 0)),
        probeP99Ms: {
          same: probeLatency(cluster.probes, 'same-node').p99,
          cross: probeLatency(cluster.probes, 'cross-node').p99,
        },
        errorsSoFar: errors,
        sentSoFar: sent,
        a: { rssBytes: serverA.rssBytes, fds: serverA.fds, processes: processes(serverA) },
        b: { rssBytes: serverB.rssBytes, fds: serverB.fds, processes: processes(serverB) },
      };
      samples.push(sample);
      console.error(
        `[soak] ${sample.atSec}s: S3 p99 ${sample.s3P99Ms} ms, S4 p99 ${sample.s4P99Ms} ms, errors ${errors}/${sent}, ` +
          `RSS A ${(serverA.rssBytes / 2 ** 20).toFixed(0)} MiB B ${(serverB.rssBytes / 2 ** 20).toFixed(0)} MiB, ` +
          `fds A ${serverA.fds} B ${serverB.fds}${restarting ? ' (B restarted)' : ''}`,
      );
    }
    for (const p of cluster.probes) p.stop();
    await new Promise((r) => setTimeout(r, 3000));
    const loss = await probeLoss(cluster.probes);
    // Drift and leaks from the second window on (the first warms caches and JIT); B since its restart.
    const steady = samples.slice(1);
    const afterRestart = samples.slice(samples.findIndex((x) => x.restartedB) + 1);
    const errorRate = sent > 0 ? errors / sent : 0;
    const rssDriftA = drift(steady.map((x) => x.a.rssBytes));
    const rssDriftB = drift(afterRestart.map((x) => x.b.rssBytes));
    const fdGrowthA = (steady.at(-1)?.a.fds ?? 0) - (steady[0]?.a.fds ?? 0);
    const latency = latencyVerdict(samples);
    const result = {
      scenario: 'soak',
      date: new Date().toISOString(),
      target: 'postgresql+nats',
      durationSec,
      windowSec,
      users: cluster.credentials.length,
      groups: cluster.groups.length,
      rates,
      errorRate,
      rssDrift: { a: rssDriftA, bSinceRestart: rssDriftB },
      fdGrowth: {
        a: fdGrowthA,
        bSinceRestart: (afterRestart.at(-1)?.b.fds ?? 0) - (afterRestart[0]?.b.fds ?? 0),
      },
      latency,
      restart,
      loss,
      passed:
        errorRate <= MAX_ERROR_RATE &&
        loss.lost === 0 &&
        (rssDriftA ?? 0) <= MAX_RSS_DRIFT &&
        fdGrowthA <= 0 &&
        latency.met,
      samples,
      machine: {
        before: machineBefore.load,
        after: machineState().load,
        outsideLoadBefore: machineBefore.outsideLoad,
      },
    };
    console.error(
      `[soak] error rate ${(errorRate * 100).toFixed(4)}%, RSS drift A ${rssDriftA}, fd growth A ${fdGrowthA}, ` +
        `probe messages lost ${loss.lost}/${loss.acked}, windows over the S3/S4 p99 bars ` +
        `${latency.s3.windowsOver}/${latency.s4.windowsOver} of ${latency.windows}${result.passed ? '' : ' — FAILS the bar'}`,
    );
    return result;
  } finally {
    await closeCluster(s);
  }
}
