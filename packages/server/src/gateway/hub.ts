import type { Principal } from '../http/principal.ts';
import { EveryoneQueue, type EveryoneOptions, type EveryoneResult } from './everyone.ts';

/** What the hub needs of a connection. */
export interface HubConnection {
  readonly principal: Principal | null;
  /** Users whose presence it watches; null until it watches any. */
  watching: Set<string> | null;
  sendText(text: string | Buffer): boolean;
}

/**
 * key -> one value, or a Set of them when there are several: most users have one connection
 * on a node and most sessions one socket, and a Set of one costs about 150 bytes each.
 */
type OneOrMany<V> = Map<string, V | Set<V>>;

function addTo<V extends object>(map: OneOrMany<V>, key: string, value: V): boolean {
  const had = map.get(key);
  if (had === undefined) {
    map.set(key, value);
    return true;
  }
  if (had instanceof Set) had.add(value);
  else if (had !== value) map.set(key, new Set([had, value]));
  return false;
}

function removeFrom<V extends object>(map: OneOrMany<V>, key: string, value: V): boolean {
  const had = map.get(key);
  if (had === value) {
    map.delete(key);
    return true;
  }
  if (!(had instanceof Set) || !had.delete(value)) return false;
  if (had.size === 1) map.set(key, had.values().next().value as V);
  return false;
}

/** The values under a key, as a new array (callers may close connections while iterating). */
function valuesOf<V extends object>(map: OneOrMany<V>, key: string): V[] {
  const had = map.get(key);
  if (had === undefined) return [];
  return had instanceof Set ? [...had] : [had];
}

/** A connection may watch this many users' presence; more are answered but not watched. */
export const MAX_WATCHED_PER_CONNECTION = 5000;

/**
 * This node's authenticated connections, by user and by session, and who watches whose presence.
 * Deliveries take a frame already serialized once for all its recipients: to a list of users at
 * once (`deliver`), to every connection a slice at a time (`deliverToAll`).
 */
export class LocalHub<C extends HubConnection = HubConnection> {
  private readonly byUser: OneOrMany<C> = new Map();
  private readonly bySession: OneOrMany<C> = new Map();
  private readonly watchers: OneOrMany<C> = new Map();
  private readonly everyone: EveryoneQueue<C>;

  constructor(options: EveryoneOptions = {}) {
    this.everyone = new EveryoneQueue(options);
  }

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
    if (conn.watching) for (const userId of conn.watching) removeFrom(this.watchers, userId, conn);
    conn.watching = null;
    if (this.everyone.busy) this.everyone.forget(conn);
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
    return [...this.byUser.values()].flatMap((s) => (s instanceof Set ? [...s] : [s]));
  }

  sessionConnections(sessionId: string): C[] {
    return valuesOf(this.bySession, sessionId);
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
    // While frames for everyone are being written, a connection first gets those it is owed.
    const owed = this.everyone.busy ? this.everyone : null;
    for (const userId of recipients) {
      const conns = this.byUser.get(userId);
      if (conns === undefined) continue;
      if (!(conns instanceof Set)) {
        if (!this.accepts(conns, exceptSessionId, onlySessionId)) continue;
        owed?.owe(conns);
        if (conns.sendText(data)) sent++;
        continue;
      }
      // A copy: a slow consumer closing during the loop leaves the set.
      for (const conn of [...conns]) {
        if (!this.accepts(conn, exceptSessionId, onlySessionId)) continue;
        owed?.owe(conn);
        if (conn.sendText(data)) sent++;
      }
    }
    return sent;
  }

  /**
   * Write `frame` to every connection here but one session's, a slice per turn of the event loop
   * (see EveryoneQueue): the connections are taken now, frames for everyone keep their order, and
   * no later `deliver` reaches a connection before it. Resolves once all are written.
   */
  deliverToAll(frame: string, exceptSessionId?: string): Promise<EveryoneResult> {
    const to = new Set<C>();
    const take = (conn: C) => {
      if (exceptSessionId === undefined || conn.principal?.sessionId !== exceptSessionId) to.add(conn);
    };
    for (const conns of this.byUser.values()) {
      if (conns instanceof Set) conns.forEach(take);
      else take(conns);
    }
    return this.everyone.enqueue(to, Buffer.from(frame));
  }

  private accepts(conn: C, exceptSessionId?: string, onlySessionId?: string): boolean {
    const sessionId = conn.principal?.sessionId;
    if (exceptSessionId !== undefined && sessionId === exceptSessionId) return false;
    return onlySessionId === undefined || sessionId === onlySessionId;
  }

  /** Subscribe a connection to presence changes of these users (bounded per connection). */
  watch(conn: C, userIds: Iterable<string>): void {
    for (const userId of userIds) {
      conn.watching ??= new Set();
      if (conn.watching.size >= MAX_WATCHED_PER_CONNECTION) return;
      conn.watching.add(userId);
      addTo(this.watchers, userId, conn);
    }
  }

  /** The local connections watching a user. */
  watchersOf(userId: string): C[] {
    return valuesOf(this.watchers, userId);
  }
}
