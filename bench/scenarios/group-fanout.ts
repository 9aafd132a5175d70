import type { BenchArgs } from '../lib/args.ts';
import { mintLogins, targetFor } from '../load/mint.ts';
import { openSeedApp, seedGroups, seedMediaSets } from '../load/seed-conversations.ts';
import { diffServer } from '../load/server-probe.ts';
import type { MediaSet } from '../lib/media-files.ts';
import type { Credential, Fleet } from '../load/types.ts';
import {
  agentCores,
  closeAll,
  fleetOn,
  machineState,
  numberFlag,
  rejectedCount,
  sampleGroup,
  startNodeGroup,
  trafficSummary,
  workersFor,
  type NodeGroup,
} from './load-harness.ts';
import { seedPairs } from './throughput.ts';
import { directPlan, groupPlan, type DirectPair, type GroupOnFleet } from './traffic-plans.ts';

/** S4's bars: delivery p99 within this, and this many deliveries per server CPU-second. */
export const FANOUT_P99_LIMIT_MS = 150;
export const DELIVERIES_PER_CPU_SECOND_TARGET = 40_000;

/**
 * `groups` groups of `size` members, created before the server starts: group g holds the users
 * `order[g * size]`, ... (global indexes into `credentials`, the first one its owner).
 */
export async function seedFleetGroupsOf(
  app: Awaited<ReturnType<typeof openSeedApp>>,
  credentials: Credential[],
  order: readonly number[],
  groups: number,
  size: number,
): Promise<GroupOnFleet[]> {
  const specs = Array.from({ length: groups }, (_, g) => order.slice(g * size, (g + 1) * size)).filter(
    (m) => m.length >= 2,
  );
  const made = await seedGroups(
    app,
    specs.map((members, g) => {
      const creds = members.map((i) => credentials[i] as Credential);
      return { owner: creds[0] as Credential, members: creds, title: `千人群 ${g + 1}` };
    }),
  );
  return made.map((g, k) => ({ conversationId: g.conversationId, members: specs[k] ?? [] }));
}

/**
 * `fanout` (S4): `--groups` (20) groups of `--group-size` (1,000) members, every member online,
 * `--rate` (50) group messages per second in total from `--senders-per-group` (10) members of each,
 * for `--duration` seconds: delivery p99 and deliveries per server CPU-second. `--with-throughput`:
 * S3 beside it, `--senders` (20,000) further users in direct pairs sending `--direct-rate` (1,600)
 * rich-media messages/s, on their own fleet (an agent runs one traffic plan at a time).
 */
export async function runGroupFanoutBench(args: BenchArgs) {
  const f = args.flags;
  const targetName = f.target === 'pg' ? 'pg' : 'sqlite';
  const groups = numberFlag(f, 'groups', 20);
  const size = numberFlag(f, 'group-size', 1000);
  const rate = numberFlag(f, 'rate', 50);
  const durationSec = f.duration === undefined ? 60 : args.duration;
  const withThroughput = f['with-throughput'] === true;
  const directRate = numberFlag(f, 'direct-rate', 1600);
  const members = groups * size;
  const senders = withThroughput ? Math.max(2, 2 * Math.round(numberFlag(f, 'senders', 20_000) / 2)) : 0;
  const workers = workersFor(f.workers, targetName === 'pg' ? 2 : 1, members + senders);
  const machineBefore = machineState();
  if (machineBefore.outsideLoad.length > 0)
    console.error(`[fanout] WARNING, outside load: ${machineBefore.outsideLoad.join('; ')}`);

  const target = await targetFor({
    target: targetName,
    ...(typeof f.reuse === 'string' ? { reuse: f.reuse } : {}),
  });
  const minted = await mintLogins(target, members + senders);
  const memberCreds = minted.credentials.slice(0, members);
  const senderCreds = minted.credentials.slice(members);
  const app = await openSeedApp(target);
  let onFleet: GroupOnFleet[];
  let pairs: DirectPair[] = [];
  try {
    const everyone = Array.from({ length: members }, (_, i) => i);
    onFleet = await seedFleetGroupsOf(app, memberCreds, everyone, groups, size);
    if (withThroughput) pairs = await seedPairs(app, senderCreds);
  } finally {
    await app.close();
  }

  let group: NodeGroup | undefined;
  let fleet: Fleet | undefined;
  let directFleet: Fleet | undefined;
  try {
    group = await startNodeGroup(target, workers);
    const connectRate = numberFlag(f, 'connect-rate', 2000);
    fleet = await fleetOn(group.port, members, f);
    const connected = await fleet.connect(memberCreds, { ratePerSec: connectRate });
    if (connected.open < members)
      throw new Error(`only ${connected.open}/${members} connected: ${JSON.stringify(connected.failures)}`);
    let media: MediaSet[] = [];
    if (withThroughput) {
      media = await seedMediaSets(target, `http://127.0.0.1:${group.port}`, senderCreds);
      directFleet = await fleetOn(group.port, senders, f);
      const d = await directFleet.connect(senderCreds, { ratePerSec: connectRate });
      if (d.open < senders) throw new Error(`only ${d.open}/${senders} direct senders connected`);
    }
    console.error(
      `[fanout] ${members} members online on ${workers} worker(s); ${rate} group msgs/s` +
        (withThroughput ? ` beside ${directRate} direct msgs/s from ${senders} senders` : ''),
    );
    const fleets = [fleet, directFleet].filter((x): x is Fleet => x !== undefined);
    const agentsBefore = await Promise.all(fleets.map((x) => x.stats()));
    const before = sampleGroup(group);
    const [groupResult, directResult] = await Promise.all([
      fleet.traffic(
        groupPlan({
          name: 's4',
          groups: onFleet,
          sendersPerGroup: numberFlag(f, 'senders-per-group', 10),
          rate,
          durationSec,
        }),
      ),
      directFleet?.traffic(
        directPlan({
          name: 's3',
          pairs,
          mediaOf: (c) => media[c] as MediaSet,
          rate: directRate,
          durationSec,
        }),
      ),
    ]);
    const delta = diffServer(before, sampleGroup(group));
    const agents = agentCores(
      agentsBefore,
      await Promise.all(fleets.map((x) => x.stats())),
      delta.wallSeconds,
    );
    const s4 = trafficSummary(groupResult);
    const s3 = directResult ? trafficSummary(directResult) : undefined;
    // CPU is the whole server's: beside S3, deliveries of both count, so the figure stays comparable.
    const deliveries = s4.delivered + (s3?.delivered ?? 0);
    const perCpuSecond = delta.cpuSeconds > 0 ? Math.round(deliveries / delta.cpuSeconds) : null;
    const passed =
      s4.lost === 0 &&
      rejectedCount(groupResult) === 0 &&
      s4.deliveryMs.p99 <= FANOUT_P99_LIMIT_MS &&
      (perCpuSecond ?? 0) >= DELIVERIES_PER_CPU_SECOND_TARGET;
    const machineAfter = machineState();
    const result = {
      scenario: 'fanout',
      date: new Date().toISOString(),
      target: targetName === 'pg' ? 'postgresql+nats' : 'sqlite',
      workers,
      groups: onFleet.length,
      groupSize: size,
      online: connected.open + senders,
      rate,
      durationSec,
      group: s4,
      ...(s3 ? { direct: s3 } : {}),
      deliveriesPerSecond: Math.round(deliveries / delta.wallSeconds),
      serverCpuSeconds: Number(delta.cpuSeconds.toFixed(2)),
      serverCpuCores: Number(delta.cores.toFixed(3)),
      agentCpuCores: agents,
      deliveriesPerServerCpuSecond: perCpuSecond,
      serverRssBytes: sampleGroup(group).rssBytes,
      passed,
      machine: {
        before: machineBefore.load,
        after: machineAfter.load,
        outsideLoadBefore: machineBefore.outsideLoad,
      },
    };
    console.error(
      `[fanout] ${s4.delivered}/${s4.expectedDeliveries} group deliveries, lost ${s4.lost}, ` +
        `delivery p50 ${s4.deliveryMs.p50} p99 ${s4.deliveryMs.p99} max ${s4.deliveryMs.max} ms; ` +
        `${perCpuSecond} deliveries per server CPU-second (${result.serverCpuCores} cores; agents ${agents} cores)` +
        (s3 ? `; direct p99 ${s3.deliveryMs.p99} ms, lost ${s3.lost}` : '') +
        (passed ? '' : ' — FAILS the bar'),
    );
    return result;
  } finally {
    await closeAll([
      group?.stop,
      fleet ? () => (fleet as Fleet).close() : undefined,
      directFleet ? () => (directFleet as Fleet).close() : undefined,
    ]);
  }
}
