import { UserNodeTable } from './user-nodes.ts';
import { digestWith, digestWithout } from './user-set-digest.ts';

/** A user's presence flipped cluster-wide. */
export interface PresenceChange {
  userId: string;
  online: boolean;
}

interface NodeInfo {
  readonly nodeId: string;
  /** The node's bit in the user table; freed (for another node) when the node is dropped. */
  readonly index: number;
  /** `{nodeId}`, what `nodesOf` returns for every user connected on that node only. */
  readonly single: ReadonlySet<string>;
  users: number;
  /** The digest of the users it holds (user-set-digest.ts): what nodes compare instead of lists. */
  digest: number;
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
   * Every online user of the cluster, with a bit per node (UserNodeTable): every node holds all of
   * them, so this is the directory's memory per user times the number of workers.
   */
  private readonly users = new UserNodeTable();
  /**
   * Per node, its bit, its shared one-element set and how many users it holds. A count, not the
   * node's users: snapshots and drops, which need a node's users, are rare and scan the table.
   */
  private readonly nodeInfo = new Map<string, NodeInfo>();
  /** NodeInfo by bit, and the bits free for the next new node. */
  private readonly byIndex: (NodeInfo | undefined)[] = [];
  private readonly freeIndexes: number[] = [];
  private readonly lastSeen = new Map<string, number>();
  private readonly scratch: number[] = [];
  private readonly names: string[] = [];

  /** Record that `userId` is (not) connected on `nodeId`; returns the cluster-wide change, if any. */
  set(nodeId: string, userId: string, online: boolean): PresenceChange | undefined {
    if (online) {
      const info = this.info(nodeId);
      const added = this.users.add(userId, info.index);
      if (added === 'had') return undefined;
      info.users++;
      info.digest = digestWith(info.digest, userId);
      return added === 'new' ? { userId, online: true } : undefined;
    }
    const info = this.nodeInfo.get(nodeId);
    if (!info) return undefined;
    const removed = this.users.remove(userId, info.index);
    if (removed === 'absent') return undefined;
    info.users--;
    info.digest = digestWithout(info.digest, userId);
    return removed === 'gone' ? { userId, online: false } : undefined;
  }

  private info(nodeId: string): NodeInfo {
    let info = this.nodeInfo.get(nodeId);
    if (!info) {
      const index = this.freeIndexes.pop() ?? this.byIndex.length;
      info = { nodeId, index, single: new Set([nodeId]), users: 0, digest: 0, connections: 0 };
      this.nodeInfo.set(nodeId, info);
      this.byIndex[index] = info;
    }
    return info;
  }

  /** Replace everything known about a node (a snapshot); returns the cluster-wide changes. */
  replaceNode(nodeId: string, users: Iterable<string>): PresenceChange[] {
    const next = new Set(users);
    const changes: PresenceChange[] = [];
    const info = this.info(nodeId);
    if (info.users > 0) {
      for (const userId of this.users.usersOn(info.index)) {
        if (next.has(userId)) continue;
        const c = this.set(nodeId, userId, false);
        if (c) changes.push(c);
      }
    }
    for (const userId of next) {
      const c = this.set(nodeId, userId, true);
      if (c) changes.push(c);
    }
    return changes;
  }

  /** Forget a node (it left or went silent); returns the users that went offline cluster-wide. */
  dropNode(nodeId: string): PresenceChange[] {
    const changes = this.replaceNode(nodeId, []);
    const info = this.nodeInfo.get(nodeId);
    if (info) {
      this.nodeInfo.delete(nodeId);
      this.byIndex[info.index] = undefined;
      this.freeIndexes.push(info.index);
    }
    this.lastSeen.delete(nodeId);
    return changes;
  }

  /**
   * The nodes where a user is connected, written into `out` from index 0; returns how many. The
   * routing loop's form of `nodesOf`: nothing is allocated, whatever number of nodes a user is on.
   */
  nodeIdsOf(userId: string, out: string[]): number {
    const n = this.users.nodesOf(userId, this.scratch);
    let found = 0;
    for (let i = 0; i < n; i++) {
      const info = this.byIndex[this.scratch[i] ?? -1];
      if (info) out[found++] = info.nodeId;
    }
    return found;
  }

  nodesOf(userId: string): ReadonlySet<string> | undefined {
    const n = this.nodeIdsOf(userId, this.names);
    if (n === 0) return undefined;
    if (n === 1) return this.nodeInfo.get(this.names[0] ?? '')?.single;
    return new Set(this.names.slice(0, n));
  }

  isOnline(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Users this directory places on a node. */
  countOn(nodeId: string): number {
    return this.nodeInfo.get(nodeId)?.users ?? 0;
  }

  /** The digest of the users this directory places on a node (0 for none). */
  digestOn(nodeId: string): number {
    return this.nodeInfo.get(nodeId)?.digest ?? 0;
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
    return this.users.size;
  }
}
