import type { BenchArgs } from '../lib/args.ts';
import type { Target } from '../lib/server.ts';
import { mintLogins, targetFor } from '../load/mint.ts';
import { openSeedApp, seedDirectPairs, seedGroups } from '../load/seed-conversations.ts';
import type { Credential, Fleet, TrafficPlan, TrafficResult } from '../load/types.ts';
import { seedFleetGroupsOf } from './group-fanout.ts';
import { ProbeClient, ProbePair } from './cluster-probes.ts';
import { round } from './cluster-latency.ts';
import { probeTriads, type ProbeTriad } from './cluster-triads.ts';
import { fleetOn, numberFlag, startNodeGroup, workersFor, type NodeGroup } from './load-harness.ts';
import { directPlan, groupPlan, type DirectPair, type GroupOnFleet } from './traffic-plans.ts';

/**
 * Two node groups (`zhixin start` on two ports) on one PostgreSQL database and NATS, with a fleet
 * and probe pairs on each, for `cluster` (S6) and `soak` (S10). Users have global indexes; each node
 * group's fleet holds its side of them in its own connection order (`Side`).
 */

const wallMs = () => performance.timeOrigin + performance.now();

/**
 * Direct pairs over users [0, n), `n` a multiple of 8: A holds [0, n/2), B [n/2, n). A quarter of
 * the pairs stay on A, a quarter on B, half cross (A's second quarter with B's).
 */
export function clusterPairs(n: number): Array<[number, number]> {
  const q = n / 4;
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < q / 2; k++) pairs.push([2 * k, 2 * k + 1], [2 * q + 2 * k, 2 * q + 2 * k + 1]);
  for (let k = 0; k < q; k++) pairs.push([q + k, 3 * q + k]);
  return pairs;
}

/** One node group's share of the users: their global indexes, in fleet connection order. */
export interface Side {
  users: number[];
  local: Map<number, number>;
}

export function sideOf(users: number[]): Side {
  return { users, local: new Map(users.map((g, i) => [g, i])) };
}

/** The direct-pair plan one side's fleet runs: its users send; it accounts for its own receivers. */
export function planForSide(
  pairs: readonly DirectPair[],
  side: Side,
  rate: number,
  durationSec: number,
): TrafficPlan {
  const local = (c: number) => side.local.get(c) ?? -1;
  return directPlan({
    name: 's3',
    pairs: pairs.map((p) => ({ a: local(p.a), b: local(p.b), conversationId: p.conversationId })),
    rate,
    durationSec,
    sendsFrom: (c) => c >= 0,
    receivesAt: (c) => c >= 0,
  });
}

/**
 * The group plan one side's fleet runs: its members of each group send (half of `rate`: the other
 * side sends the other half) and its members are the receivers it accounts for.
 */
export function groupPlanForSide(
  groups: readonly GroupOnFleet[],
  side: Side,
  rate: number,
  sendersPerGroup: number,
  durationSec: number,
): TrafficPlan {
  const mine = groups
    .map((g) => ({
      conversationId: g.conversationId,
      members: g.members.map((m) => side.local.get(m) ?? -1).filter((m) => m >= 0),
    }))
    .filter((g) => g.members.length > 0);
  return groupPlan({
    name: 's4',
    groups: mine,
    sendersPerGroup: Math.ceil(sendersPerGroup / 2),
    rate: rate / 2,
    durationSec,
  });
}

/** Probe pairs A→A, A→B, B→B, B→A in turn, on their own users. */
function probePairs(
  creds: Credential[],
  conversations: string[],
  ports: { a: number; b: number },
): ProbePair[] {
  return conversations.map((conversationId, k) => {
    const from = k % 4 < 2 ? ports.a : ports.b;
    const cross = k % 2 === 1;
    const to = cross ? (from === ports.a ? ports.b : ports.a) : from;
    return new ProbePair(
      k,
      cross ? 'cross-node' : 'same-node',
      new ProbeClient(creds[2 * k] as Credential, conversationId, from),
      new ProbeClient(creds[2 * k + 1] as Credential, conversationId, to),
    );
  });
}

export interface ClusterOptions {
  /** Users chatting in direct pairs (a multiple of 8). */
  n: number;
  /** Groups of `groupSize`, on their own users, members alternating between the sides. */
  groups: number;
  groupSize: number;
  /** Further users that only hold a connection (S1-style), split between the sides. */
  idle: number;
  probes: number;
  /** Probe triads (cluster-triads.ts): per-message added cross-node latency. */
  triads?: number;
}

/**
 * One node group and what is connected to it: the direct-pair users' fleet and, when there are
 * groups or idle users, a second fleet for them (an agent runs one traffic plan at a time).
 */
export interface NodeSide {
  group: NodeGroup;
  direct: { side: Side; fleet: Fleet };
  members: { side: Side; fleet: Fleet } | null;
}

export interface ClusterSetup {
  target: Target;
  a: NodeSide;
  b: NodeSide;
  credentials: Credential[];
  pairs: DirectPair[];
  groups: GroupOnFleet[];
  probes: ProbePair[];
  triads: ProbeTriad[];
}

const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/**
 * Global user layout: [0, n) direct pairs (clusterPairs), then the group members (even offsets on
 * A, odd on B), then the idle users (first half on A).
 */
export function clusterLayout(o: Pick<ClusterOptions, 'n' | 'groups' | 'groupSize' | 'idle'>) {
  const g0 = o.n;
  const gu = o.groups * o.groupSize;
  const i0 = g0 + gu;
  const membersOn = (parity: number) => range(g0, i0).filter((u) => (u - g0) % 2 === parity);
  return {
    users: i0 + o.idle,
    directA: range(0, o.n / 2),
    directB: range(o.n / 2, o.n),
    membersA: [...membersOn(0), ...range(i0, i0 + Math.floor(o.idle / 2))],
    membersB: [...membersOn(1), ...range(i0 + Math.floor(o.idle / 2), i0 + o.idle)],
    groupOrder: range(g0, i0),
  };
}

/** Start a node group and connect its fleets. */
async function openSide(
  target: Target,
  f: BenchArgs['flags'],
  credentials: Credential[],
  directUsers: number[],
  memberUsers: number[],
  existing?: NodeGroup,
): Promise<NodeSide> {
  // Probe clients (a few dozen) fit in the headroom of CONNS_PER_PROCESS under the file limit.
  const workers = workersFor(f.workers, 1, directUsers.length + memberUsers.length);
  const group = existing ?? (await startNodeGroup(target, workers));
  const rate = numberFlag(f, 'connect-rate', 2000);
  const connectSide = async (users: number[]) => {
    const side = sideOf(users);
    const fleet = await fleetOn(group.port, users.length, f);
    const stats = await fleet.connect(
      users.map((u) => credentials[u] as Credential),
      { ratePerSec: rate },
    );
    if (stats.open < users.length)
      throw new Error(`only ${stats.open}/${users.length} connected to port ${group.port}`);
    return { side, fleet };
  };
  const direct = await connectSide(directUsers);
  const members = memberUsers.length > 0 ? await connectSide(memberUsers) : null;
  return { group, direct, members };
}

/** Two node groups on one PostgreSQL database and NATS, fleets and probes connected. */
export async function openCluster(f: BenchArgs['flags'], o: ClusterOptions): Promise<ClusterSetup> {
  const layout = clusterLayout(o);
  const target = await targetFor({
    target: 'pg',
    ...(typeof f.reuse === 'string' ? { reuse: f.reuse } : {}),
  });
  const triadCount = o.triads ?? 0;
  const minted = await mintLogins(target, layout.users + 2 * o.probes + 3 * triadCount);
  const credentials = minted.credentials.slice(0, layout.users);
  const probeCreds = minted.credentials.slice(layout.users, layout.users + 2 * o.probes);
  const triadCreds = minted.credentials.slice(layout.users + 2 * o.probes);
  const app = await openSeedApp(target);
  let pairs: DirectPair[];
  let groups: GroupOnFleet[];
  let probeConvs: string[];
  let triadConvs: string[];
  try {
    const couples = clusterPairs(o.n);
    const ids = await seedDirectPairs(
      app,
      couples.map(([x, y]) => [credentials[x] as Credential, credentials[y] as Credential] as const),
    );
    pairs = couples.map(([x, y], k) => ({ a: x, b: y, conversationId: ids[k] as string }));
    groups = await seedFleetGroupsOf(app, credentials, layout.groupOrder, o.groups, o.groupSize);
    probeConvs = await seedDirectPairs(
      app,
      Array.from(
        { length: o.probes },
        (_, k) => [probeCreds[2 * k] as Credential, probeCreds[2 * k + 1] as Credential] as const,
      ),
    );
    const triadGroups = await seedGroups(
      app,
      Array.from({ length: triadCount }, (_, k) => {
        const members = triadCreds.slice(3 * k, 3 * k + 3);
        return { owner: members[0] as Credential, members, title: `探针三人组 ${k + 1}` };
      }),
    );
    triadConvs = triadGroups.map((g) => g.conversationId);
  } finally {
    await app.close();
  }
  const a = await openSide(target, f, credentials, layout.directA, layout.membersA);
  const b = await openSide(target, f, credentials, layout.directB, layout.membersB);
  const probes = probePairs(probeCreds, probeConvs, { a: a.group.port, b: b.group.port });
  for (const p of probes) await Promise.all([p.sender.connect(), p.receiver.connect()]);
  const triads = probeTriads(triadCreds, triadConvs, { a: a.group.port, b: b.group.port });
  for (const t of triads) await t.connect();
  console.error(
    `[cluster] ${layout.users} users (${o.n} in pairs, ${groups.length} groups of ${o.groupSize}, ${o.idle} idle)` +
      `, ${probes.length} probe pairs and ${triads.length} triads on two node groups (${a.group.workers} worker(s) each)`,
  );
  return { target, a, b, credentials, pairs, groups, probes, triads };
}

/** The fleets of a side (closing is best effort: the node may be gone). */
async function closeSideFleets(side: NodeSide): Promise<void> {
  await side.direct.fleet.close().catch(() => undefined);
  await side.members?.fleet.close().catch(() => undefined);
}

/**
 * Restart node group B: SIGTERM it, start it again on the same port, reconnect B's probes (each
 * receiver then pulls what it missed, as the SDK's gap sync does) and B's fleets (a new connect).
 */
export async function restartGroupB(s: ClusterSetup, flags: BenchArgs['flags']) {
  const port = s.b.group.port;
  const onB = s.probes.flatMap((p) => [p.sender, p.receiver]).filter((c) => c.port === port);
  const seqAtStop = new Map(onB.map((c) => [c, c.lastSeq]));
  const stoppedAt = wallMs();
  await s.b.group.stop();
  await closeSideFleets(s.b);
  const stopSec = (wallMs() - stoppedAt) / 1000;
  const startedAt = wallMs();
  const group = await startNodeGroup(s.target, s.b.group.workers, port);
  const startSec = (wallMs() - startedAt) / 1000;
  const downSec = (wallMs() - stoppedAt) / 1000;
  const reconnected = await Promise.all(onB.map((c) => c.reconnect(wallMs() + 30_000)));
  let fetched = 0;
  for (const c of onB) if (c.connected) fetched += await c.fetchSince(seqAtStop.get(c) ?? 0);
  const fleetStarted = wallMs();
  const expected = s.b.direct.side.users.length + (s.b.members?.side.users.length ?? 0);
  s.b = await openSide(
    s.target,
    flags,
    s.credentials,
    s.b.direct.side.users,
    s.b.members?.side.users ?? [],
    group,
  );
  const restart = {
    stopSeconds: round(stopSec),
    startSeconds: round(startSec),
    downSeconds: round(downSec),
    probesReconnected: reconnected.filter(Boolean).length,
    probesOnNode: onB.length,
    fetchedAfterReconnect: fetched,
    fleetReconnected: expected,
    fleetReconnectSeconds: round((wallMs() - fleetStarted) / 1000),
  };
  console.error(`[cluster] node group B restarted: ${JSON.stringify(restart)}`);
  return restart;
}

/** Loss over the probes: acked ids each receiver never got live, and never found in history either. */
export async function probeLoss(probes: ProbePair[]) {
  for (const p of probes) if (p.receiver.connected) await p.receiver.fetchSince(0);
  const missing = probes.flatMap((p) => p.missing());
  return {
    acked: probes.reduce((n, p) => n + p.acked.size, 0),
    sendErrors: probes.reduce((n, p) => n + p.sendErrors, 0),
    missedLive: probes.reduce((n, p) => n + p.missedLive(), 0),
    lost: missing.length,
    lostSamples: missing.slice(0, 5),
  };
}

export async function closeCluster(s: ClusterSetup | undefined): Promise<void> {
  if (!s) return;
  for (const p of s.probes) {
    p.stop();
    p.sender.close();
    p.receiver.close();
  }
  for (const t of s.triads) t.close();
  for (const side of [s.a, s.b]) {
    await closeSideFleets(side);
    await side.group.stop().catch((err: unknown) => console.error(`cleanup: ${(err as Error).message}`));
  }
}

export interface SideRates {
  /** Direct messages per second over both sides (each side sends its share). */
  rate: number;
  /** Group messages per second over both sides. */
  groupRate: number;
  sendersPerGroup: number;
  durationSec: number;
  /** Wait for deliveries after the window (the fleet's default is 10 s). */
  drainSec?: number;
}

/** One traffic window on one side: S3 on its direct fleet, S4 on its members' fleet (if groups). */
export async function runSide(
  s: ClusterSetup,
  side: NodeSide,
  r: SideRates,
): Promise<{ s3: TrafficResult; s4: TrafficResult | null }> {
  const members = side.members;
  const [s3, s4] = await Promise.all([
    side.direct.fleet.traffic(
      withDrain(planForSide(s.pairs, side.direct.side, r.rate, r.durationSec), r.drainSec),
    ),
    members && s.groups.length > 0
      ? members.fleet.traffic(
          withDrain(
            groupPlanForSide(s.groups, members.side, r.groupRate, r.sendersPerGroup, r.durationSec),
            r.drainSec,
          ),
        )
      : Promise.resolve(null),
  ]);
  return { s3, s4 };
}

function withDrain(plan: TrafficPlan, drainSec: number | undefined): TrafficPlan {
  return drainSec === undefined ? plan : { ...plan, drainSec };
}
