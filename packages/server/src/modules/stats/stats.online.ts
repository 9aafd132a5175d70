import type { StatsNodeOnline, StatsOnline } from '@zhixin/protocol';
import type { Broker, Subscription } from '../../platform/broker/index.ts';

/** Every node publishes its online counts here, and listens to everyone's. */
export const ONLINE_SUBJECT = 'zx.stats.online';
/** Reports a node may miss before its counts are dropped. */
export const ONLINE_MISSED_REPORTS = 3;

/** What this node's gateway knows. */
export interface LocalOnline {
  /** Users with an authenticated connection on this node. */
  users: number;
  connections: number;
  /** Distinct users online anywhere in the cluster (the gateway's presence directory). */
  clusterUsers: number;
}

interface Report {
  nodeId: string;
  users: number;
  connections: number;
  at: number;
  gone?: true;
}

function isReport(value: unknown): value is Report {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.nodeId === 'string' &&
    Number.isSafeInteger(r.users) &&
    Number.isSafeInteger(r.connections) &&
    Number.isSafeInteger(r.at)
  );
}

export interface OnlineBoardOptions {
  intervalMs: number;
  now: () => number;
  /** Called after every report with the cluster's totals (peak online per hour). */
  onSample(users: number, connections: number, at: number): void;
}

/**
 * Online now across the cluster: each node publishes its counts every interval; a node's counts
 * live until `ONLINE_MISSED_REPORTS` intervals pass without a report (a dead node's vanish) or it
 * says it is going. Connections are summed over live nodes; users come from the presence directory,
 * so a user connected to two nodes counts once.
 */
export class OnlineBoard {
  private readonly nodes = new Map<string, { report: StatsNodeOnline; expiresAt: number }>();
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly broker: Broker,
    private readonly nodeId: string,
    private readonly local: () => LocalOnline,
    private readonly opts: OnlineBoardOptions,
  ) {}

  start(): void {
    this.subscription = this.broker.subscribe(ONLINE_SUBJECT, (payload) => this.receive(payload));
    this.tick();
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** Tell the others this node is going (its counts vanish at once), and stop. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.subscription) return;
    this.subscription.unsubscribe();
    this.subscription = null;
    const bye: Report = { nodeId: this.nodeId, users: 0, connections: 0, at: this.opts.now(), gone: true };
    this.broker.publish(ONLINE_SUBJECT, bye);
  }

  /** The live nodes' counts, this node's own as of now. */
  report(): StatsOnline {
    const at = this.opts.now();
    const own = this.local();
    const nodes: StatsNodeOnline[] = [
      { nodeId: this.nodeId, users: own.users, connections: own.connections, at },
    ];
    for (const [nodeId, entry] of this.nodes) {
      if (nodeId === this.nodeId) continue;
      if (entry.expiresAt <= at) this.nodes.delete(nodeId);
      else nodes.push(entry.report);
    }
    nodes.sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    return {
      at,
      users: own.clusterUsers,
      connections: nodes.reduce((sum, n) => sum + n.connections, 0),
      nodes,
    };
  }

  private tick(): void {
    const at = this.opts.now();
    const own = this.local();
    const report: Report = { nodeId: this.nodeId, users: own.users, connections: own.connections, at };
    this.broker.publish(ONLINE_SUBJECT, report);
    const totals = this.report();
    this.opts.onSample(totals.users, totals.connections, at);
  }

  private receive(payload: unknown): void {
    if (!isReport(payload) || payload.nodeId === this.nodeId) return;
    if (payload.gone) {
      this.nodes.delete(payload.nodeId);
      return;
    }
    const { nodeId, users, connections, at } = payload;
    // Expiry runs on this node's clock: nodes' clocks may differ, the interval between reports does not.
    const expiresAt = this.opts.now() + this.opts.intervalMs * ONLINE_MISSED_REPORTS;
    this.nodes.set(nodeId, { report: { nodeId, users, connections, at }, expiresAt });
  }
}
