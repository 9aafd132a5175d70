/** A user's presence flipped cluster-wide. */
export interface PresenceChange {
  userId: string;
  online: boolean;
}

interface NodeInfo {
  /** `{nodeId}`, shared by every user connected on that node only. */
  readonly single: ReadonlySet<string>;
  users: number;
  /** Open connections there, as its last beat said (0 until one does). */
  connections: number;
}

/** What the directory knows of one live node. */
export interface NodeSummary {
  nodeId: string;
  /** Users it places there. */
  users: number;
  /** Open connections there, as of its last beat. */
  connections: number;
  /** When it was last heard from (this node's clock). */
  seenAt: number;
}

/**
 * Where users are connected: userId -> the nodes where they have at least one authenticated
 * connection, and when each node was last heard from. Every node keeps its own copy, fed by the
 * broker (ClusterLink); it answers routing ("which nodes get this event") and presence queries.
 */
export class PresenceDirectory {
  /**
   * A user on one node (nearly all of them) shares that node's one-element set; only a
   * user on several nodes has a Set of their own. Every node holds every online user of the
   * cluster here, so a Set each (about 150 bytes) would cost each worker that much per user.
   */
  private readonly nodesByUser = new Map<string, ReadonlySet<string>>();
  /**
   * Per node, its shared one-element set and how many users it holds. A count, not the node's
   * users: a set per node would hold every user of the cluster a second time in every worker
   * (measured: 51-62 bytes per user for the directory with it, 37 without) and cost a Set insert
   * per remote connect. Snapshots and drops, which need a node's users, are rare and scan
   * `nodesByUser` instead (stopping once they have seen all of that node's users).
   */
  private readonly nodeInfo = new Map<string, NodeInfo>();
  private readonly lastSeen = new Map<string, number>();

  /** Record that `userId` is (not) connected on `nodeId`; returns the cluster-wide change, if any. */
  set(nodeId: string, userId: string, online: boolean): PresenceChange | undefined {
    const nodes = this.nodesByUser.get(userId);
    if (online) {
      if (nodes?.has(nodeId)) return undefined;
      const info = this.info(nodeId);
      info.users++;
      if (!nodes) {
        this.nodesByUser.set(userId, info.single);
        return { userId, online: true };
      }
      this.nodesByUser.set(userId, new Set([...nodes, nodeId]));
      return undefined;
    }
    if (!nodes?.has(nodeId)) return undefined;
    this.info(nodeId).users--;
    if (nodes.size === 1) {
      this.nodesByUser.delete(userId);
      return { userId, online: false };
    }
    const rest = [...nodes].filter((n) => n !== nodeId);
    this.nodesByUser.set(userId, rest.length === 1 ? this.info(rest[0] as string).single : new Set(rest));
    return undefined;
  }

  private info(nodeId: string): NodeInfo {
    let info = this.nodeInfo.get(nodeId);
    if (!info) this.nodeInfo.set(nodeId, (info = { single: new Set([nodeId]), users: 0, connections: 0 }));
    return info;
  }

  /** Replace everything known about a node (a snapshot); returns the cluster-wide changes. */
  replaceNode(nodeId: string, users: Iterable<string>): PresenceChange[] {
    const next = new Set(users);
    const changes: PresenceChange[] = [];
    let left = this.countOn(nodeId);
    // Deleting and replacing entries while iterating a Map is safe: each is visited at most once.
    for (const [userId, nodes] of this.nodesByUser) {
      if (left === 0) break;
      if (!nodes.has(nodeId)) continue;
      left--;
      if (next.has(userId)) continue;
      const c = this.set(nodeId, userId, false);
      if (c) changes.push(c);
    }
    for (const userId of next) {
      const c = this.set(nodeId, userId, true);
      if (c) changes.push(c);
    }
    this.info(nodeId);
    return changes;
  }

  /** Forget a node (it left or went silent); returns the users that went offline cluster-wide. */
  dropNode(nodeId: string): PresenceChange[] {
    const changes = this.replaceNode(nodeId, []);
    this.nodeInfo.delete(nodeId);
    this.lastSeen.delete(nodeId);
    return changes;
  }

  nodesOf(userId: string): ReadonlySet<string> | undefined {
    return this.nodesByUser.get(userId);
  }

  isOnline(userId: string): boolean {
    return this.nodesByUser.has(userId);
  }

  /** Users this directory places on a node. */
  countOn(nodeId: string): number {
    return this.nodeInfo.get(nodeId)?.users ?? 0;
  }

  knowsNode(nodeId: string): boolean {
    return this.lastSeen.has(nodeId);
  }

  /** Nodes known alive (this one included, once it has touched itself). */
  get nodeCount(): number {
    return this.lastSeen.size;
  }

  nodes(): string[] {
    return [...this.lastSeen.keys()];
  }

  /** Note that a node is alive. */
  touch(nodeId: string, now: number): void {
    this.lastSeen.set(nodeId, now);
  }

  /** A node's beat: it is alive and holds this many connections. */
  beat(nodeId: string, connections: number, now: number): void {
    this.touch(nodeId, now);
    this.info(nodeId).connections = connections;
  }

  /** Every live node (this one included, once it has touched itself), by node id. */
  summaries(): NodeSummary[] {
    return [...this.lastSeen]
      .map(([nodeId, seenAt]) => {
        const info = this.nodeInfo.get(nodeId);
        return { nodeId, users: info?.users ?? 0, connections: info?.connections ?? 0, seenAt };
      })
      .sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  /**
   * The cluster's leader: the live node with the smallest id. Every node computes the same answer
   * from its own copy of the directory, so jobs that should run once per cluster (sampling the
   * online peak, sweeping unanswered calls) run on that node without an election. While nodes join
   * or leave, two may briefly both think they lead: such jobs must be idempotent.
   */
  leader(): string | undefined {
    let min: string | undefined;
    for (const nodeId of this.lastSeen.keys()) if (min === undefined || nodeId < min) min = nodeId;
    return min;
  }

  /** Nodes not heard from since `before` (except `self`). */
  silentSince(before: number, self: string): string[] {
    return [...this.lastSeen].filter(([node, seen]) => node !== self && seen < before).map(([node]) => node);
  }

  get onlineUsers(): number {
    return this.nodesByUser.size;
  }
}
