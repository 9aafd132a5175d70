import type { Principal } from '../http/principal.ts';

/** What the hub needs of a connection. */
export interface HubConnection {
  readonly principal: Principal | null;
  readonly watching: Set<string>;
  sendText(text: string | Buffer): boolean;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  const first = set.size === 0;
  set.add(value);
  return first;
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean {
  const set = map.get(key);
  if (!set?.delete(value)) return false;
  if (set.size > 0) return false;
  map.delete(key);
  return true;
}

/** A connection may watch this many users' presence; more are answered but not watched. */
export const MAX_WATCHED_PER_CONNECTION = 5000;

/**
 * This node's authenticated connections, by user and by session, and who watches whose presence.
 * Deliveries take a frame already serialized once for all its recipients.
 */
export class LocalHub<C extends HubConnection = HubConnection> {
  private readonly byUser = new Map<string, Set<C>>();
  private readonly bySession = new Map<string, Set<C>>();
  private readonly watchers = new Map<string, Set<C>>();

  /** Register an authenticated connection; true when it is its user's first on this node. */
  add(conn: C): boolean {
    const p = conn.principal;
    if (!p) throw new Error('only authenticated connections join the hub');
    addTo(this.bySession, p.sessionId, conn);
    return addTo(this.byUser, p.userId, conn);
  }

  /** Unregister; true when it was its user's last connection on this node. */
  remove(conn: C): boolean {
    const p = conn.principal;
    if (!p) return false;
    for (const userId of conn.watching) removeFrom(this.watchers, userId, conn);
    conn.watching.clear();
    removeFrom(this.bySession, p.sessionId, conn);
    return removeFrom(this.byUser, p.userId, conn);
  }

  has(userId: string): boolean {
    return this.byUser.has(userId);
  }

  users(): IterableIterator<string> {
    return this.byUser.keys();
  }

  get userCount(): number {
    return this.byUser.size;
  }

  /** Every authenticated connection. */
  connections(): C[] {
    return [...this.byUser.values()].flatMap((s) => [...s]);
  }

  sessionConnections(sessionId: string): C[] {
    return [...(this.bySession.get(sessionId) ?? [])];
  }

  /** Write `frame` to every connection of every recipient here, except one session's. Returns how many. */
  deliver(
    recipients: Iterable<string>,
    frame: string,
    exceptSessionId?: string,
    onlySessionId?: string,
  ): number {
    let sent = 0;
    // Encoded once for every recipient instead of once per socket write.
    const data = Buffer.from(frame);
    for (const userId of recipients) {
      const conns = this.byUser.get(userId);
      if (!conns) continue;
      // A copy: a slow consumer closing during the loop leaves the set.
      for (const conn of [...conns]) {
        if (exceptSessionId !== undefined && conn.principal?.sessionId === exceptSessionId) continue;
        if (onlySessionId !== undefined && conn.principal?.sessionId !== onlySessionId) continue;
        if (conn.sendText(data)) sent++;
      }
    }
    return sent;
  }

  /** Subscribe a connection to presence changes of these users (bounded per connection). */
  watch(conn: C, userIds: Iterable<string>): void {
    for (const userId of userIds) {
      if (conn.watching.size >= MAX_WATCHED_PER_CONNECTION) return;
      conn.watching.add(userId);
      addTo(this.watchers, userId, conn);
    }
  }

  /** The local connections watching a user. */
  watchersOf(userId: string): C[] {
    return [...(this.watchers.get(userId) ?? [])];
  }
}
