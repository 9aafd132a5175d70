import { CloseReason, type EventBody, type EventName } from '@zhixin/protocol';
import type { EmitOptions, EventSink } from '../platform/events.ts';
import type { ClusterLink } from './cluster.ts';
import type { Connection } from './connection.ts';
import type { PresenceDirectory } from './directory.ts';
import type { LocalHub } from './hub.ts';
import type { RecentRecipients } from './recent.ts';
import type { DeliverMessage } from './subjects.ts';

export interface DeliveryDeps {
  nodeId: string;
  hub: LocalHub<Connection>;
  directory: PresenceDirectory;
  cluster: ClusterLink;
  /** Where the recipients of synced events are noted, for `sync.hint.v1` (see RecentRecipients). */
  recent: RecentRecipients;
}

/**
 * The events a client's catch-up (conversations.list, history, changes) recovers: a connection
 * that may have missed one of them is told to sync. Others (typing, calls, friends...) are not
 * noted: a sync would not bring them back.
 */
const SYNCED_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  'message.created.v1',
  'message.updated.v1',
  'conversation.read.v1',
  'conversation.changed.v1',
  'member.settings.v1',
]);

/** The frame that asks a client to catch up now. */
export const SYNC_HINT_FRAME = JSON.stringify({ type: 'event', event: 'sync.hint.v1', body: {} });

/**
 * Catch-ups a node asks of its devices per second when it tells all of them at once (its broker
 * link came back): each costs a `conversations.list` and the pulls it leads to, ~1-2 ms of a worker.
 */
const CATCH_UPS_PER_SECOND = 500;
const MIN_SPREAD_MS = 1000;
const MAX_SPREAD_MS = 60_000;

/**
 * The frame that asks `users` users' devices to catch up: at once for a few, spread for more than a
 * second's worth of catch-ups (see spreadSyncHintFrame).
 */
export function syncHintFrameFor(users: number): string {
  return users <= CATCH_UPS_PER_SECOND ? SYNC_HINT_FRAME : spreadSyncHintFrame(users);
}

/** The frame that asks every device of a node to catch up, spread over a window sized for `connections`. */
export function spreadSyncHintFrame(connections: number): string {
  const spreadMs = Math.min(
    MAX_SPREAD_MS,
    Math.max(MIN_SPREAD_MS, Math.ceil((connections / CATCH_UPS_PER_SECOND) * 1000)),
  );
  return JSON.stringify({ type: 'event', event: 'sync.hint.v1', body: { spreadMs } });
}

/**
 * Write a delivery to this node's connections; for session.revoked.v1, then close the revoked
 * session's connections (after the event, so the device learns why).
 */
export function deliverLocally(hub: LocalHub<Connection>, msg: Omit<DeliverMessage, 't'>): void {
  hub.deliver(msg.recipients, msg.frame, msg.except, msg.only);
  if (msg.revoke !== undefined) {
    for (const conn of hub.sessionConnections(msg.revoke)) conn.close(CloseReason.SessionRevoked);
  }
}

/**
 * The EventSink modules emit into: the frame is serialized once, recipients are grouped by the
 * nodes the directory places them on, local ones are written directly and each other node gets
 * one publish on `zx.node.<id>` however many of the recipients it holds.
 */
export function createEventSink({ nodeId, hub, directory, cluster, recent }: DeliveryDeps): EventSink {
  return {
    emit<E extends EventName>(
      recipients: readonly string[],
      event: E,
      body: EventBody<E>,
      opts: EmitOptions = {},
    ): void {
      const frame = JSON.stringify({ type: 'event', event, body });
      const revoke =
        event === 'session.revoked.v1' ? (body as EventBody<'session.revoked.v1'>).sessionId : undefined;
      const local: string[] = [];
      const remote = new Map<string, string[]>();
      // Every recipient, placed or not: a new connection of any of them may be on its way.
      if (SYNCED_EVENTS.has(event)) recent.note(recipients, Date.now());
      const where: string[] = [];
      for (const userId of new Set(recipients)) {
        const count = directory.nodeIdsOf(userId, where);
        for (let i = 0; i < count; i++) {
          const node = where[i] ?? '';
          if (node === nodeId) local.push(userId);
          else {
            let list = remote.get(node);
            if (!list) remote.set(node, (list = []));
            list.push(userId);
          }
        }
      }
      const extra = {
        frame,
        ...(opts.exceptSessionId === undefined ? {} : { except: opts.exceptSessionId }),
        ...(opts.onlySessionId === undefined ? {} : { only: opts.onlySessionId }),
        ...(revoke === undefined ? {} : { revoke }),
      };
      // The sending process knows the seq already: only the other nodes are told.
      const hint = opts.seqHint;
      const toNodes =
        hint === undefined ? extra : { ...extra, hint: [hint.conversationId, hint.seq] as [string, number] };
      if (local.length) deliverLocally(hub, { recipients: local, ...extra });
      for (const [node, list] of remote) cluster.deliverTo(node, toNodes, list);
    },

    emitToAll<E extends EventName>(
      event: E,
      body: EventBody<E>,
      opts: Pick<EmitOptions, 'exceptSessionId'> = {},
    ): void {
      const frame = JSON.stringify({ type: 'event', event, body });
      if (SYNCED_EVENTS.has(event)) recent.noteEveryone(Date.now());
      const except = opts.exceptSessionId;
      // The other nodes first: the broker client sends on a microtask, and this node's own writes
      // (thousands of sockets, a slice per turn of the event loop) start on the next turn, while the
      // other nodes write to theirs. Events of one channel keep their order (FIFO on both paths).
      cluster.deliverToEveryone({ frame, ...(except === undefined ? {} : { except }) });
      void hub.deliverToAll(frame, except);
    },
  };
}
