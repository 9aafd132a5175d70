import { performance } from 'node:perf_hooks';
import { ClusterLink, type ClusterHooks } from '../../packages/server/src/gateway/cluster.ts';
import { PresenceDirectory } from '../../packages/server/src/gateway/directory.ts';
import { Subjects } from '../../packages/server/src/gateway/subjects.ts';
import { TapBroker } from '../../packages/server/src/gateway/testing.ts';
import { MemoryBroker, type Subscription } from '../../packages/server/src/platform/broker/index.ts';
import { NatsBroker } from '../../packages/server/src/platform/broker/nats.ts';
import { newId } from '../../packages/server/src/platform/ids.ts';
import { createLogger } from '../../packages/server/src/platform/logger.ts';
import type { BenchArgs } from '../lib/args.ts';

/**
 * `npm run bench -- rejoin [--n 600000] [--workers 32] [--broker nats|memory] [--runs 3]` (issue 9):
 * what repairing the cluster's presence directory costs when nodes lose their broker link, the
 * traffic that turned one slow worker of the 600,000 hold into a cascade of NATS slow consumers.
 *
 * `--workers` cluster links (real gateway code: ClusterLink and PresenceDirectory, each on its own
 * NATS connection) hold `--n` users between them, in this process. Once every node's directory
 * agrees with every node's users, each event runs `--runs` times:
 * - `blip`: one node's link drops and comes back, nothing lost (what `broker.onReconnect` does);
 * - `lost`: the same, but the node missed 100 users coming online on one other node;
 * - `silent`: one node was silent long enough for every other node to drop its users, and comes back;
 * - `stalled`: as `silent`, and the node dropped every other node too (its own beat timer fired
 *   first after the stall);
 * - `restart`: every node's link comes back at once (NATS restarted);
 * - `restart-traffic`: as `restart`, and `--lost` deliveries (default 8,000: 20 s of 400 one-to-one
 *   messages a second) between random nodes, each to one user, were lost while the links were down.
 * For each: snapshot bytes published by all nodes and received by all nodes and by the busiest
 * one, requests, the process's CPU time (all nodes are in it), the time until every directory
 * agrees again, and the devices told to catch up (the users hinted, or all of a node's when it
 * cannot tell whom it lost deliveries for; before deliveries were numbered, a node back on the
 * broker told all of its devices). JSON sizes are the payloads' as NATS carries them.
 */

/** How long an event may take before the bench calls it a failure to agree. */
const AGREE_LIMIT_MS = 60_000;

interface Traffic {
  snapshotsPublished: number;
  snapshotBytesPublished: number;
  snapshotBytesReceived: number;
  requests: number;
}

/** A broker that counts the snapshot traffic of one node. */
class CountingBroker extends TapBroker {
  t: Traffic = emptyTraffic();
  /** Snapshot requests are not sent (while the cluster is set up). */
  muted = false;
  override publish(subject: string, payload: unknown): void {
    const bytes = snapshotBytes(payload);
    if (bytes > 0) {
      this.t.snapshotsPublished++;
      this.t.snapshotBytesPublished += bytes;
    } else if (subject === Subjects.snapshotRequest) {
      if (this.muted) return;
      this.t.requests++;
    }
    super.publish(subject, payload);
  }
  override subscribe(subject: string, handler: (payload: unknown, subject: string) => void): Subscription {
    return super.subscribe(subject, (payload, s) => {
      this.t.snapshotBytesReceived += snapshotBytes(payload);
      handler(payload, s);
    });
  }
}

function emptyTraffic(): Traffic {
  return { snapshotsPublished: 0, snapshotBytesPublished: 0, snapshotBytesReceived: 0, requests: 0 };
}

/** The JSON size of a snapshot part (0 for anything else), without serializing its id list again. */
function snapshotBytes(payload: unknown): number {
  if (typeof payload !== 'object' || payload === null || !('t' in payload) || payload.t !== 'snapshot')
    return 0;
  if (!('users' in payload)) return 0;
  const users = (payload as { users: unknown }).users;
  if (!Array.isArray(users)) return 0;
  let ids = 0;
  for (const u of users as string[]) ids += u.length + 3;
  return JSON.stringify({ ...payload, users: [] }).length + Math.max(0, ids - 1);
}

interface Node {
  id: string;
  users: string[];
  directory: PresenceDirectory;
  link: ClusterLink;
  broker: CountingBroker;
  /** Times its NATS connection came back (a slow-consumer cut, here). */
  reconnects: number;
  /** Users told to catch up (all of the node's when it told every device), each once. */
  caughtUp: Set<string>;
  /** Times it told every device. */
  toldAll: number;
}

interface Sample {
  /** Undefined: the directories did not agree within AGREE_LIMIT_MS. */
  agreeMs: number | undefined;
  cpuMs: number;
  traffic: Traffic;
  busiestReceivedBytes: number;
  cuts: number;
  caughtUp: number;
  toldAll: number;
  /** Distinct users whose deliveries were lost (restart-traffic), and ms until all were told (if any). */
  lostTo: number;
  toldMs: number | undefined;
}

export async function runRejoinBench(args: BenchArgs) {
  const total = args.flags.n === undefined ? 600_000 : args.n;
  const count = Number(args.flags.workers ?? 32);
  const runs = Number(args.flags.runs ?? 3);
  const useNats = args.flags.broker !== 'memory';
  // `--heartbeat S`: the nodes' beat period (the product's 5 s by default; the smoke test's is short).
  const heartbeatMs = Number(args.flags.heartbeat ?? 5) * 1000;
  const lostDeliveries = Number(args.flags.lost ?? 8000);
  // After each event: past the quiet period (two beats) in which a node that just asked asks nothing
  // on a beat, so no event waits for the one before.
  const settleMs = 2 * heartbeatMs + 500;
  const prefix = `bench${Date.now().toString(36)}`;
  const memory = new MemoryBroker();
  const log = createLogger('silent');
  const nodes: Node[] = [];
  for (let i = 0; i < count; i++) {
    const inner = useNats
      ? await NatsBroker.connect('nats://127.0.0.1:4222', { subjectPrefix: prefix })
      : memory;
    const id = `node${String(i).padStart(2, '0')}-${newId().slice(-6)}`;
    const node: Node = {
      id,
      users: Array.from({ length: Math.floor(total / count) }, () => newId()),
      directory: new PresenceDirectory(),
      broker: new CountingBroker(inner),
      link: undefined as never,
      reconnects: 0,
      caughtUp: new Set(),
      toldAll: 0,
    };
    const hooks: ClusterHooks = {
      deliver: () => {},
      deliverToAll: () => {},
      changed: () => {},
      joined: () => {},
      localUsers: () => node.users,
      localUserCount: () => node.users.length,
      localConnectionCount: () => node.users.length,
      missed: (who) => {
        if (who === 'all') node.toldAll++;
        for (const u of who === 'all' ? node.users : who) node.caughtUp.add(u);
      },
    };
    node.link = new ClusterLink(node.broker, id, node.directory, hooks, log, {
      heartbeatMs,
      missedBeats: 3,
    });
    // What the gateway does (gateway/index.ts): a link that came back asks again.
    if (useNats)
      inner.onReconnect(() => {
        node.reconnects++;
        node.link.rejoin();
      });
    nodes.push(node);
  }
  const consistent = () =>
    nodes.every((n) => nodes.every((m) => n.directory.countOn(m.id) === m.users.length));
  /** Milliseconds until every directory agrees; undefined when they still do not after `limitMs`. */
  const waitConsistent = async (limitMs: number) => {
    const start = performance.now();
    while (!consistent()) {
      if (performance.now() - start > limitMs) return undefined;
      await new Promise((r) => setTimeout(r, 10));
    }
    return performance.now() - start;
  };
  /**
   * Every directory set to every node's users directly, as the presence deltas of a ramp would
   * have left them: the bench measures repairs, not how a cluster fills.
   */
  const fill = () => {
    for (const n of nodes) for (const m of nodes) n.directory.replaceNode(m.id, m.users);
  };
  /** Past the quiet period after a start or rejoin (two beats), in which a node asks nothing. */
  const quiet = () => new Promise((r) => setTimeout(r, 2 * heartbeatMs + 1000));

  process.stderr.write(
    `rejoin: ${count} nodes × ${nodes[0]?.users.length} users on ${useNats ? 'NATS' : 'memory'}\n`,
  );
  // Filled, then started without the start's requests for every list: the steady state of a
  // cluster after its ramp, reached without a burst of lists that would cut this one process off.
  fill();
  for (const n of nodes) n.broker.muted = true;
  for (const n of nodes) n.link.start();
  await new Promise((r) => setTimeout(r, 1000));
  for (const n of nodes) n.broker.muted = false;
  await quiet();
  if (!consistent()) throw new Error('the directories disagree before any event');

  /** Distinct users whose deliveries the last `restart-traffic` lost. */
  let lostTo = new Set<string>();
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const events: Record<string, (x: Node, other: Node) => void> = {
    blip: (x) => x.link.rejoin(),
    lost: (x, other) => {
      for (let i = 0; i < 100; i++) {
        const u = newId();
        other.users.push(u);
        for (const n of nodes) if (n !== x) n.directory.set(other.id, u, true);
      }
      x.link.rejoin();
    },
    silent: (x) => {
      for (const n of nodes) if (n !== x) n.directory.dropNode(x.id);
      x.link.rejoin();
    },
    stalled: (x) => {
      for (const n of nodes) if (n !== x) n.directory.dropNode(x.id);
      for (const n of nodes) if (n !== x) x.directory.dropNode(n.id);
      x.link.rejoin();
    },
    restart: () => {
      for (const n of nodes) n.link.rejoin();
    },
    'restart-traffic': () => {
      lostTo = new Set();
      for (const n of nodes) n.broker.cut = true;
      for (let i = 0; i < lostDeliveries; i++) {
        const from = pick(nodes);
        let to = pick(nodes);
        while (to === from) to = pick(nodes);
        const user = pick(to.users);
        lostTo.add(user);
        from.link.deliverTo(to.id, { frame: '{}' }, [user]);
      }
      for (const n of nodes) n.broker.cut = false;
      for (const n of nodes) n.link.rejoin();
    },
  };

  const results: Record<string, unknown> = {};
  for (const [name, trigger] of Object.entries(events)) {
    const samples: Sample[] = [];
    for (let r = 0; r < runs; r++) {
      const x = nodes[(r * 7) % count]!;
      const other = nodes[(r * 7 + 3) % count]!;
      for (const n of nodes) {
        n.broker.t = emptyTraffic();
        n.reconnects = 0;
        n.caughtUp = new Set();
        n.toldAll = 0;
      }
      lostTo = new Set();
      const cpu = process.cpuUsage();
      const start = performance.now();
      trigger(x, other);
      const agreeMs = await waitConsistent(AGREE_LIMIT_MS);
      const told = () => nodes.reduce((sum, n) => sum + n.caughtUp.size, 0) >= lostTo.size;
      while (!told() && performance.now() - start < AGREE_LIMIT_MS)
        await new Promise((r) => setTimeout(r, 10));
      const toldMs = told() && lostTo.size > 0 ? performance.now() - start : undefined;
      await new Promise((res) => setTimeout(res, settleMs));
      const used = process.cpuUsage(cpu);
      const sample: Sample = {
        agreeMs,
        cpuMs: (used.user + used.system) / 1000,
        traffic: emptyTraffic(),
        busiestReceivedBytes: 0,
        cuts: 0,
        caughtUp: 0,
        toldAll: 0,
        lostTo: lostTo.size,
        toldMs,
      };
      for (const n of nodes) {
        for (const k of Object.keys(sample.traffic) as (keyof Traffic)[]) sample.traffic[k] += n.broker.t[k];
        sample.busiestReceivedBytes = Math.max(sample.busiestReceivedBytes, n.broker.t.snapshotBytesReceived);
        sample.cuts += n.reconnects;
        sample.caughtUp += n.caughtUp.size;
        sample.toldAll += n.toldAll;
      }
      samples.push(sample);
      process.stderr.write(`rejoin: ${name} #${r + 1}: ${describe(sample)}\n`);
      // A run whose lists were lost to slow-consumer cuts leaves the next one a clean start.
      if (agreeMs === undefined) {
        fill();
        await quiet();
      }
    }
    const med = (f: (s: Sample) => number) => median(samples.map(f));
    results[name] = {
      // A run that did not agree counts as the limit.
      agreeMs: Math.round(med((s) => s.agreeMs ?? AGREE_LIMIT_MS)),
      agreedRuns: samples.filter((s) => s.agreeMs !== undefined).length,
      slowConsumerCuts: med((s) => s.cuts),
      cpuMs: Math.round(med((s) => s.cpuMs)),
      snapshotsPublished: med((s) => s.traffic.snapshotsPublished),
      snapshotMBPublished: mb(med((s) => s.traffic.snapshotBytesPublished)),
      snapshotMBReceived: mb(med((s) => s.traffic.snapshotBytesReceived)),
      busiestNodeMBReceived: mb(med((s) => s.busiestReceivedBytes)),
      requests: med((s) => s.traffic.requests),
      devicesToldToCatchUp: med((s) => s.caughtUp),
      nodesThatToldAll: med((s) => s.toldAll),
      usersWithLostDeliveries: med((s) => s.lostTo),
      // Only where deliveries were lost; a run whose users were not all told counts as the limit.
      ...(samples.some((s) => s.lostTo > 0)
        ? { allToldMs: Math.round(med((s) => s.toldMs ?? AGREE_LIMIT_MS)) }
        : {}),
    };
  }
  await Promise.all(nodes.map((n) => n.link.stop()));
  if (useNats) await Promise.all(nodes.map((n) => n.broker.close()));
  return {
    scenario: 'rejoin',
    nodes: count,
    usersPerNode: nodes[0]?.users.length,
    broker: useNats ? 'nats' : 'memory',
    runs,
    events: results,
  };
}

function describe(s: Sample): string {
  const t = s.traffic;
  return (
    `agree ${s.agreeMs === undefined ? 'never' : `${Math.round(s.agreeMs)} ms`}, cuts ${s.cuts}, ` +
    `cpu ${Math.round(s.cpuMs)} ms, snapshot parts ${t.snapshotsPublished} (${mb(t.snapshotBytesPublished)} MB out, ` +
    `${mb(t.snapshotBytesReceived)} MB in, busiest node ${mb(s.busiestReceivedBytes)} MB), requests ${t.requests}, ` +
    `told to catch up ${s.caughtUp} (every device on ${s.toldAll} nodes; lost deliveries to ${s.lostTo} users` +
    `${s.lostTo === 0 ? '' : s.toldMs === undefined ? ', not all told' : `, all told in ${Math.round(s.toldMs)} ms`})`
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 100) / 100;
}
