import type { StatsNodeOnline, StatsOnline } from '@zhixin/protocol';

/** What the gateway knows about who is connected, across the cluster. */
export interface ClusterOnline {
  /** Distinct users online anywhere in the cluster (the gateway's presence directory). */
  users(): number;
  /**
   * Every live node with its users and connections: this node's as of now, the others' as of
   * their last beat on the broker (a node that stops beating, or says it is going, is left out).
   */
  nodes(): { nodeId: string; users: number; connections: number; seenAt: number }[];
  /** Whether this node runs the cluster's once-per-cluster jobs now (see Gateway.leads). */
  leads(): boolean;
}

export interface OnlineBoardOptions {
  intervalMs: number;
  now: () => number;
  /** Called every interval on the leading node with the cluster's totals (peak online per hour). */
  onSample(users: number, connections: number, at: number): void;
}

/**
 * Online now across the cluster, read from the gateway: the nodes' counts travel in their beats
 * (`zx.nodes.hb`), so the figures cost no messages of their own. The hour's peak is sampled every
 * interval by the cluster's leader only: one writer of the peak instead of one per node (with 32
 * workers, 32 writes of the same figure every flush). Users come from the presence directory, so a
 * user connected to two nodes counts once; connections are summed over the live nodes.
 */
export class OnlineBoard {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cluster: ClusterOnline,
    private readonly opts: OnlineBoardOptions,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The live nodes' counts now. */
  report(): StatsOnline {
    const nodes: StatsNodeOnline[] = this.cluster
      .nodes()
      .map(({ nodeId, users, connections, seenAt }) => ({ nodeId, users, connections, at: seenAt }));
    return {
      at: this.opts.now(),
      users: this.cluster.users(),
      connections: nodes.reduce((sum, n) => sum + n.connections, 0),
      nodes,
    };
  }

  private sample(): void {
    if (!this.cluster.leads()) return;
    const totals = this.report();
    this.opts.onSample(totals.users, totals.connections, totals.at);
  }
}
