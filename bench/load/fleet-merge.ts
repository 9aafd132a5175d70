/**
 * Merging what the agents report: their stats into the fleet's, and their parts of one traffic run
 * (a sender's acks live in its own agent and its deliveries in the receivers' agents, so loss is only
 * known once every part is in).
 */
import { Bitmap } from './bitmap.ts';
import { Histogram } from './histogram.ts';
import { addSample, emptyFailures } from './failures.ts';
import type {
  AgentStats,
  AgentTrafficPart,
  DeliveryWindow,
  FailureCounts,
  FleetStats,
  TrafficPlan,
  TrafficResult,
} from './types.ts';

export function mergeTraffic(plan: TrafficPlan, parts: AgentTrafficPart[]): TrafficResult {
  const acked = new Map<number, Bitmap>();
  const received = new Map<number, Map<number, Bitmap>>();
  const ackLatency = new Histogram();
  const deliveryLatency = new Histogram();
  const warmDeliveryLatency = new Histogram();
  const deliveryWindows: DeliveryWindow[] = [];
  const rejected: Record<string, number> = {};
  let sent = 0;
  let ackCount = 0;
  let delivered = 0;
  let outOfOrder = 0;
  let duplicates = 0;
  let window = 0;
  for (const p of parts) {
    sent += p.sent;
    ackCount += p.acked;
    delivered += p.delivered;
    outOfOrder += p.outOfOrder;
    duplicates += p.duplicates;
    window = Math.max(window, p.sendWindowSec);
    for (const [code, n] of Object.entries(p.rejected)) rejected[code] = (rejected[code] ?? 0) + n;
    for (const [s, b64] of Object.entries(p.ackedBySender)) {
      const bits = Bitmap.fromBase64(b64);
      const have = acked.get(Number(s));
      acked.set(Number(s), have ? have.or(bits) : bits);
    }
    for (const [r, bySender] of Object.entries(p.receivedBy)) {
      let map = received.get(Number(r));
      if (!map) received.set(Number(r), (map = new Map()));
      for (const [s, b64] of Object.entries(bySender)) {
        const bits = Bitmap.fromBase64(b64);
        const have = map.get(Number(s));
        map.set(Number(s), have ? have.or(bits) : bits);
      }
    }
    ackLatency.merge(p.ackLatency);
    deliveryLatency.merge(p.deliveryLatency);
    warmDeliveryLatency.merge(p.warmDeliveryLatency);
    p.deliveryWindows.forEach((w, i) => {
      const into = (deliveryWindows[i] ??= { count: 0, over100Ms: 0, maxMs: 0 });
      into.count += w.count;
      into.over100Ms += w.over100Ms;
      into.maxMs = Math.max(into.maxMs, w.maxMs);
    });
  }
  let expectedDeliveries = 0;
  let lost = 0;
  const none = new Bitmap();
  for (const s of plan.senders) {
    const bits = acked.get(s.conn);
    if (!bits) continue;
    const receivers = s.receivers.map((r) => received.get(r)?.get(s.conn) ?? none);
    for (const n of bits.values()) {
      expectedDeliveries += receivers.length;
      if (receivers.some((got) => !got.has(n))) lost++;
    }
  }
  return {
    name: plan.name,
    sent,
    acked: ackCount,
    rejected,
    expectedDeliveries,
    delivered,
    lost,
    outOfOrder,
    duplicates,
    ackLatency: ackLatency.summary(),
    deliveryLatency: deliveryLatency.summary(),
    warmDeliveryLatency: warmDeliveryLatency.summary(),
    // Each agent's windows are contiguous from the first, so the merged array has no holes.
    deliveryWindows,
    sendRate: window > 0 ? sent / window : 0,
  };
}

/** The fleet-wide view of the agents' stats. */
export function mergeStats(parts: AgentStats[]): FleetStats {
  const failures = emptyFailures();
  const latency = new Histogram();
  const stats: FleetStats = {
    open: 0,
    attempted: 0,
    established: 0,
    closedByUs: 0,
    failures,
    messageEvents: 0,
    syncHints: 0,
    connectLatency: latency.summary(),
    agents: [],
  };
  for (const p of parts) {
    stats.open += p.open;
    stats.attempted += p.attempted;
    stats.established += p.established;
    stats.closedByUs += p.closedByUs;
    stats.messageEvents += p.messageEvents;
    stats.syncHints += p.syncHints;
    for (const key of Object.keys(failures) as Array<keyof FailureCounts>) {
      if (key === 'samples') {
        for (const s of p.failures.samples) addSample(failures.samples, s, 4, 30);
      } else failures[key] += p.failures[key];
    }
    latency.merge(p.connectLatency);
    stats.agents.push({
      pid: p.pid,
      open: p.open,
      rssBytes: p.rssBytes,
      cpuSeconds: p.cpuSeconds,
      ...(p.heapUsedBytes === undefined ? {} : { heapUsedBytes: p.heapUsedBytes }),
      ...(p.loopDelayMaxMs === undefined ? {} : { loopDelayMaxMs: p.loopDelayMaxMs }),
    });
  }
  stats.connectLatency = latency.summary();
  return stats;
}
