/** A user's presence flipped cluster-wide. */
export interface PresenceChange {
  userId: string;
  online: boolean;
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
  private readonly single = new Map<string, ReadonlySet<string>>();
  private readonly usersByNode = new Map<string, Set<string>>();
  private readonly lastSeen = new Map<string, number>();

  /** Record that `userId` is (not) connected on `nodeId`; returns the cluster-wide change, if any. */
  set(nodeId: string, userId: string, online: boolean): PresenceChange | undefined {
    const before = this.nodesByUser.has(userId);
    if (online) {
      const nodes = this.nodesByUser.get(userId);
      if (!nodes) this.nodesByUser.set(userId, this.singleton(nodeId));
      else if (!nodes.has(nodeId)) this.nodesByUser.set(userId, new Set([...nodes, nodeId]));
      let users = this.usersByNode.get(nodeId);
      if (!users) this.usersByNode.set(nodeId, (users = new Set()));
      users.add(userId);
    } else {
      const nodes = this.nodesByUser.get(userId);
      if (nodes?.has(nodeId)) {
        const rest = [...nodes].filter((n) => n !== nodeId);
        if (rest.length === 0) this.nodesByUser.delete(userId);
        else
          this.nodesByUser.set(userId, rest.length === 1 ? this.singleton(rest[0] as string) : new Set(rest));
      }
      this.usersByNode.get(nodeId)?.delete(userId);
    }
    const after = this.nodesByUser.has(userId);
    return before === after ? undefined : { userId, online: after };
  }

  private singleton(nodeId: string): ReadonlySet<string> {
    let set = this.single.get(nodeId);
    if (!set) this.single.set(nodeId, (set = new Set([nodeId])));
    return set;
  }

  /** Replace everything known about a node (a snapshot); returns the cluster-wide changes. */
  replaceNode(nodeId: string, users: Iterable<string>): PresenceChange[] {
    const next = new Set(users);
    const changes: PresenceChange[] = [];
    for (const userId of [...(this.usersByNode.get(nodeId) ?? [])]) {
      if (next.has(userId)) continue;
      const c = this.set(nodeId, userId, false);
      if (c) changes.push(c);
    }
    for (const userId of next) {
      const c = this.set(nodeId, userId, true);
      if (c) changes.push(c);
    }
    if (!this.usersByNode.has(nodeId)) this.usersByNode.set(nodeId, new Set());
    return changes;
  }

  /** Forget a node (it left or went silent); returns the users that went offline cluster-wide. */
  dropNode(nodeId: string): PresenceChange[] {
    const changes = this.replaceNode(nodeId, []);
    this.usersByNode.delete(nodeId);
    this.lastSeen.delete(nodeId);
    this.single.delete(nodeId);
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
    return this.usersByNode.get(nodeId)?.size ?? 0;
  }

  knowsNode(nodeId: string): boolean {
    return this.lastSeen.has(nodeId);
  }

  nodes(): string[] {
    return [...this.lastSeen.keys()];
  }

  /** Note that a node is alive. */
  touch(nodeId: string, now: number): void {
    this.lastSeen.set(nodeId, now);
  }

  /** Nodes not heard from since `before` (except `self`). */
  silentSince(before: number, self: string): string[] {
    return [...this.lastSeen].filter(([node, seen]) => node !== self && seen < before).map(([node]) => node);
  }

  get onlineUsers(): number {
    return this.nodesByUser.size;
  }
}
