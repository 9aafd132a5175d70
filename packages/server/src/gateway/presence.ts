import type { PresenceList } from '@zhixin/protocol';
import type { OperationRegistry } from '../http/operations.ts';
import type { CallContext } from '../http/principal.ts';
import type { Connection } from './connection.ts';
import type { PresenceChange, PresenceDirectory } from './directory.ts';
import type { LocalHub } from './hub.ts';

/**
 * `presence.query`: who of these users is online anywhere in the cluster. Over WebSocket the asking
 * connection also watches them: it receives `presence.v1` whenever one goes online or offline.
 */
export function registerPresenceQuery(
  ops: OperationRegistry,
  directory: PresenceDirectory,
  hub: LocalHub<Connection>,
  callers: WeakMap<CallContext, Connection>,
): void {
  ops.register('presence.query', async (req, ctx): Promise<PresenceList> => {
    const userIds = [...new Set(req.userIds)];
    const conn = callers.get(ctx);
    if (conn?.isOpen) hub.watch(conn, userIds);
    return { presence: userIds.map((userId) => ({ userId, online: directory.isOnline(userId) })) };
  });
}

/** Tell this node's watchers about cluster-wide presence changes (one serialization per change). */
export function notifyWatchers(hub: LocalHub<Connection>, changes: readonly PresenceChange[]): void {
  for (const change of changes) {
    const watchers = hub.watchersOf(change.userId);
    if (watchers.length === 0) continue;
    const frame = JSON.stringify({ type: 'event', event: 'presence.v1', body: change });
    for (const conn of watchers) conn.sendText(frame);
  }
}
