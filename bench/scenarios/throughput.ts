import type { BenchArgs } from '../lib/args.ts';
import { diffServices, sampleServices, serviceCpuLine } from '../lib/service-cpu.ts';
import type { MediaSet } from '../lib/media-files.ts';
import { mintLogins, targetFor } from '../load/mint.ts';
import { openSeedApp, seedDirectPairs, seedMediaSets } from '../load/seed-conversations.ts';
import { diffServer } from '../load/server-probe.ts';
import type { Credential, Fleet } from '../load/types.ts';
import {
  closeAll,
  fleetOn,
  machineState,
  numberFlag,
  rejectedCount,
  sampleGroup,
  agentCores,
  slowWindowsLine,
  startNodeGroup,
  trafficSummary,
  workersFor,
  type NodeGroup,
} from './load-harness.ts';
import { directPlan, rateSteps, type DirectPair } from './traffic-plans.ts';

/** R-X2's bar: p99 send → receive within this, nothing lost. */
export const P99_LIMIT_MS = 100;

/** Users in direct pairs on one fleet (connection i = credential i), each with its own media. */
export interface DirectSetup {
  pairs: DirectPair[];
  media: MediaSet[];
}

/**
 * Pairs (2k, 2k+1) of `credentials` get a direct conversation (before the server starts); call
 * `withMedia` once the server is up to upload each sender's media.
 */
export async function seedPairs(
  app: Awaited<ReturnType<typeof openSeedApp>>,
  credentials: Credential[],
  firstConn = 0,
): Promise<DirectPair[]> {
  const users = credentials.slice(0, credentials.length - (credentials.length % 2));
  const couples = Array.from(
    { length: users.length / 2 },
    (_, k) => [users[2 * k], users[2 * k + 1]] as const,
  );
  const ids = await seedDirectPairs(app, couples as ReadonlyArray<readonly [Credential, Credential]>);
  return ids.map((conversationId, k) => ({ a: firstConn + 2 * k, b: firstConn + 2 * k + 1, conversationId }));
}

/** One measured traffic window at `rate`: the fleet's result and the server's CPU over it. */
export async function measureDirect(
  fleet: Fleet,
  group: NodeGroup,
  setup: DirectSetup,
  rate: number,
  durationSec: number,
  mediaBase = 0,
) {
  const agentsBefore = await fleet.stats();
  const before = sampleGroup(group);
  const servicesBefore = sampleServices();
  const result = await fleet.traffic(
    directPlan({
      name: 's3',
      pairs: setup.pairs,
      mediaOf: (conn) => setup.media[conn - mediaBase] as MediaSet,
      rate,
      durationSec,
    }),
  );
  const delta = diffServer(before, sampleGroup(group));
  const servicesDelta = diffServices(servicesBefore, sampleServices());
  const agents = agentCores([agentsBefore], [await fleet.stats()], delta.wallSeconds);
  const summary = trafficSummary(result);
  const passed =
    summary.lost === 0 &&
    summary.outOfOrder === 0 &&
    rejectedCount(result) === 0 &&
    summary.acked === summary.sent &&
    summary.deliveryMs.p99 <= P99_LIMIT_MS &&
    summary.sendRate >= rate * 0.95;
  const line = {
    rate,
    ...summary,
    serverCpuCores: Number(delta.cores.toFixed(3)),
    agentCpuCores: agents,
    serverCpuUsPerMessage: summary.acked > 0 ? Math.round((delta.cpuSeconds * 1e6) / summary.acked) : null,
    ...serviceCpuLine(servicesDelta, delta.cpuSeconds, summary.acked),
    serverRssBytes: sampleGroup(group).rssBytes,
    passed,
  };
  console.error(
    `[throughput] ${rate}/s: sent ${line.sent}, lost ${line.lost}, out of order ${line.outOfOrder}, ` +
      `delivery p50 ${line.deliveryMs.p50} p99 ${line.deliveryMs.p99} p99.9 ${line.deliveryMs.p999} max ${line.deliveryMs.max} ms, ` +
      `server ${line.serverCpuCores} cores, agents ${agents} cores, PostgreSQL ${line.serviceCpuCores.postgres ?? 0} ` +
      `NATS ${line.serviceCpuCores.nats ?? 0} cores, all-in ${line.allInCpuUsPerMessage ?? '-'} µs/msg` +
      `${passed ? '' : ' — FAILS the bar'}`,
  );
  console.error(
    `[throughput] ${rate}/s: without each sender's first message (cold caches) delivery p50 ` +
      `${line.warmDeliveryMs.p50} p99 ${line.warmDeliveryMs.p99} max ${line.warmDeliveryMs.max} ms; ` +
      `deliveries over 100 ms by send window: ${slowWindowsLine(line)}`,
  );
  return line;
}

/**
 * `throughput` (S3, R-X2): `--senders` users in direct pairs (both ends send) on one node group
 * (`--workers`), `--rate` rich-media messages per second in total (text, image, file, voice, video in
 * turn, media by reference), open model, for `--duration` seconds on `--target sqlite|pg`: loss, order,
 * send → receive p50/p99/p99.9/max, server CPU in cores. `--find-max`: then step the rate up by
 * `--step-factor` (1.25) in `--step-duration` (60 s) windows until p99 > 100 ms or a loss, and report
 * the highest rate that held.
 */
export async function runThroughputBench(args: BenchArgs) {
  const f = args.flags;
  const targetName = f.target === 'pg' ? 'pg' : 'sqlite';
  const senders = Math.max(2, 2 * Math.round(numberFlag(f, 'senders', 20_000) / 2));
  const rate = numberFlag(f, 'rate', 1600);
  const durationSec = f.duration === undefined ? 600 : args.duration;
  const workers = workersFor(f.workers, targetName === 'pg' ? 2 : 1, senders);
  const machineBefore = machineState();
  if (machineBefore.outsideLoad.length > 0)
    console.error(`[throughput] WARNING, outside load: ${machineBefore.outsideLoad.join('; ')}`);

  const target = await targetFor({
    target: targetName,
    ...(typeof f.reuse === 'string' ? { reuse: f.reuse } : {}),
  });
  const minted = await mintLogins(target, senders);
  const app = await openSeedApp(target);
  let pairs: DirectPair[];
  const t0 = performance.now();
  try {
    pairs = await seedPairs(app, minted.credentials);
  } finally {
    await app.close();
  }
  const conversationsSec = (performance.now() - t0) / 1000;

  let group: NodeGroup | undefined;
  let fleet: Fleet | undefined;
  try {
    group = await startNodeGroup(target, workers);
    const t1 = performance.now();
    const media = await seedMediaSets(target, `http://127.0.0.1:${group.port}`, minted.credentials);
    const mediaSec = (performance.now() - t1) / 1000;
    fleet = await fleetOn(group.port, senders, f);
    const connected = await fleet.connect(minted.credentials, {
      ratePerSec: numberFlag(f, 'connect-rate', 2000),
    });
    if (connected.open < senders)
      throw new Error(`only ${connected.open}/${senders} connected: ${JSON.stringify(connected.failures)}`);
    console.error(
      `[throughput] ${senders} senders connected to ${workers} worker(s); ${rate} msgs/s for ${durationSec} s`,
    );

    const main = await measureDirect(fleet, group, { pairs, media }, rate, durationSec);
    const findMax = f['find-max']
      ? await stepUp(fleet, group, { pairs, media }, rate, main.passed, f)
      : undefined;
    const machineAfter = machineState();
    const result = {
      scenario: 'throughput',
      date: new Date().toISOString(),
      target: targetName === 'pg' ? 'postgresql+nats' : 'sqlite',
      workers,
      senders,
      conversations: pairs.length,
      durationSec,
      seedSeconds: {
        mint: Number(minted.seconds.toFixed(1)),
        conversations: Number(conversationsSec.toFixed(1)),
        media: Number(mediaSec.toFixed(1)),
      },
      result: main,
      ...(findMax ? { findMax } : {}),
      machine: {
        before: machineBefore.load,
        after: machineAfter.load,
        outsideLoadBefore: machineBefore.outsideLoad,
      },
    };
    console.error(
      `[throughput] ${result.target}, ${workers} worker(s): ${rate}/s ${main.passed ? 'held' : 'did NOT hold'}` +
        (findMax ? `; highest sustainable rate ${findMax.highestRate}/s` : ''),
    );
    return result;
  } finally {
    await closeAll([group?.stop, fleet ? () => (fleet as Fleet).close() : undefined]);
  }
}

/**
 * `--find-max`: from the rate the main run held, rates `--step-factor` apart until one fails the
 * bar; the last that held wins. When the main run already failed there is nothing to step up from
 * (highestRate 0: run again with a lower `--rate`).
 */
async function stepUp(
  fleet: Fleet,
  group: NodeGroup,
  setup: DirectSetup,
  held: number,
  mainPassed: boolean,
  f: BenchArgs['flags'],
) {
  const factor = numberFlag(f, 'step-factor', 1.25);
  const stepSec = numberFlag(f, 'step-duration', 60);
  const steps = [];
  let highestRate = mainPassed ? held : 0;
  const rates = mainPassed
    ? rateSteps(Math.round(held * factor), factor, numberFlag(f, 'max-rate', 50_000))
    : [];
  for (const rate of rates) {
    const step = await measureDirect(fleet, group, setup, rate, stepSec);
    steps.push(step);
    if (!step.passed) break;
    highestRate = rate;
  }
  return { stepDurationSec: stepSec, highestRate, steps };
}
