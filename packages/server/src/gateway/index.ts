import type { Server } from 'node:http';
import { CloseReason } from '@zhixin/protocol';
import type { OperationRegistry } from '../http/operations.ts';
import type { Authenticator, CallContext } from '../http/principal.ts';
import type { EventSink, SeqHints } from '../platform/events.ts';
import type { Platform } from '../platform/platform.ts';
import { ClusterLink } from './cluster.ts';
import { CloseTally } from './close-tally.ts';
import { Connection, type ConnectionHost } from './connection.ts';
import {
  createEventSink,
  deliverLocally,
  spreadSyncHintFrame,
  SYNC_HINT_FRAME,
  syncHintFrameFor,
} from './delivery.ts';
import { PresenceDirectory, type NodeSummary, type PresenceChange } from './directory.ts';
import type { EveryoneOptions } from './everyone.ts';
import { LocalHub } from './hub.ts';
import { notifyWatchers, registerPresenceQuery } from './presence.ts';
import { RecentRecipients } from './recent.ts';
import type { GatewaySocket, SocketAdapter, SocketListeners } from './socket.ts';
import { TimerWheel } from './timer-wheel.ts';
import { createUpgradeHandler, type UpgradeRoute } from './upgrade.ts';

export type { Connection } from './connection.ts';
export type { SocketAdapter } from './socket.ts';
export type { NodeSummary } from './directory.ts';
export { WS_PATH, type UpgradeRoute } from './upgrade.ts';
export { Subjects } from './subjects.ts';

/** The part of the platform the gateway uses (tests build just this). */
export type GatewayPlatform = Pick<Platform, 'config' | 'log' | 'broker' | 'metrics' | 'nodeId'>;

export interface GatewayDeps {
  platform: GatewayPlatform;
  ops: OperationRegistry;
  authenticator: () => Authenticator;
}

export interface GatewayOptions {
  /** How often this node beats on `zx.nodes.hb` (default: `gateway.nodeHeartbeatMs`, 5 s). */
  nodeHeartbeatMs?: number;
  /** Beats a node may miss before its users are dropped (default 3). */
  missedNodeBeats?: number;
  /** How long a closing socket may take to finish the closing handshake (default 5 s). */
  closeGraceMs?: number;
  /** How long close() waits for sockets to say goodbye before dropping them (default 3 s). */
  shutdownGraceMs?: number;
  /** Slices of a delivery to every connection (channel posts); see EveryoneQueue. */
  everyone?: Pick<EveryoneOptions, 'sliceMs' | 'maxSlice'>;
}

export interface GatewayStats {
  /** Open connections on this node, authenticated or not. */
  connections: number;
  /** Users with an authenticated connection on this node. */
  localUsers: number;
  /** Users online anywhere in the cluster. */
  onlineUsers: number;
  /** Nodes this one knows are alive, itself included. */
  nodes: string[];
}

/** The WebSocket gateway of one node: connections, auth, heartbeats, delivery and presence. */
export interface Gateway {
  readonly events: EventSink;
  /** Seqs of the messages other nodes delivered here (EmitOptions.seqHint). */
  readonly seqHints: SeqHints;
  readonly nodeId: string;
  /** Serve `/ws` on this HTTP server (upgrade requests). */
  attach(server: Server): void;
  /** Serve WebSocket upgrades of another path (the media proxy `/janus`). */
  route(path: string, handler: UpgradeRoute): void;
  /** Take a socket as a new connection (the ws binding uses it; tests pass fakes). */
  accept(socket: SocketAdapter, ip: string): Connection;
  /** Whether a user has an authenticated connection anywhere in the cluster. */
  isOnline(userId: string): boolean;
  /** The nodes where a user is connected, as this node's directory knows them. */
  locate(userId: string): string[];
  stats(): GatewayStats;
  /** Every live node of the cluster with its users and connections (this one's as of now). */
  clusterNodes(): NodeSummary[];
  /**
   * Whether this node is the cluster's leader now (PresenceDirectory.leader), which runs the jobs
   * meant to run once per cluster. Briefly two nodes may both lead: such jobs must be idempotent.
   */
  leads(): boolean;
  /** Stop accepting, say `bye` (server_shutdown) to every socket, announce this node gone, unsubscribe. */
  close(): Promise<void>;
}

/** The wheel's tick: the precision of heartbeats and auth timeouts (both whole seconds). */
const WHEEL_TICK_MS = 250;
/** 32 s of slots: the default heartbeat (25 s) and auth timeout (10 s) come round in one turn. */
const WHEEL_SLOTS = 128;

/** Build the gateway of this node and join the cluster's presence directory. */
export function createGateway(
  { platform, ops, authenticator }: GatewayDeps,
  options: GatewayOptions = {},
): Gateway {
  const { config, log, broker, metrics, nodeId } = platform;
  const hub = new LocalHub<Connection>({
    ...options.everyone,
    onError: (err) => log.error({ err }, 'a write of a frame for everyone failed'),
  });
  const directory = new PresenceDirectory();
  const recent = new RecentRecipients();
  const live = new Set<Connection>();
  const sockets = new Set<GatewaySocket>();
  const callers = new WeakMap<CallContext, Connection>();
  let closing = false;
  let seqListener: ((conversationId: string, seq: number) => void) | null = null;
  let attachedTo: Server | undefined;

  const changed = (changes: readonly PresenceChange[]) => {
    if (!closing) notifyWatchers(hub, changes);
  };
  const cluster = new ClusterLink(
    broker,
    nodeId,
    directory,
    {
      deliver: (msg) => {
        deliverLocally(hub, msg);
        if (msg.hint) seqListener?.(msg.hint[0], msg.hint[1]);
      },
      deliverToAll: (msg) => void hub.deliverToAll(msg.frame, msg.except),
      changed,
      // A synced event routed here lately may have missed these users' new connections there.
      joined: (node, userIds) => {
        const missed = closing ? [] : recent.find(userIds, Date.now());
        if (missed.length) cluster.deliverTo(node, { frame: SYNC_HINT_FRAME }, missed);
      },
      localUsers: () => hub.users(),
      localUserCount: () => hub.userCount,
      localConnectionCount: () => live.size,
      missed: (who) => {
        if (closing) return;
        if (who === 'all') hintAll();
        else metrics.wsCatchUpHints.inc({ scope: 'users' }, hub.deliver(who, syncHintFrameFor(who.length)));
      },
    },
    log,
    {
      heartbeatMs: options.nodeHeartbeatMs ?? config.gateway.nodeHeartbeatMs,
      missedBeats: options.missedNodeBeats ?? 3,
    },
  );

  /** Every connection here catches up, each at a random moment of a window sized for their number. */
  function hintAll(): void {
    void hub
      .deliverToAll(spreadSyncHintFrame(live.size))
      .then(({ sent }) => metrics.wsCatchUpHints.inc({ scope: 'all' }, sent));
  }

  // Core NATS is at-most-once: while this node was cut off from the broker, deliveries and
  // presence meant for it were lost. The directory is asked for again, and every other node says
  // what it sent here: the users whose deliveries were lost catch up (sync.hint.v1), not every
  // device here. Every device does (a slice of sockets at a time, each at a random moment of a
  // window that grows with their number) only when some node cannot say (an older version).
  broker.onReconnect(() => {
    if (closing) return;
    if (cluster.rejoin()) {
      log.warn({ connections: live.size }, 'broker connection back: the other nodes are asked what was lost');
      return;
    }
    log.warn({ connections: live.size }, 'broker connection back: every connection told to catch up');
    hintAll();
  });

  const closes = new CloseTally(log);
  const wheel = new TimerWheel<Connection>({
    tickMs: WHEEL_TICK_MS,
    slots: WHEEL_SLOTS,
    onDue: (conn) => conn.onWheel(),
  });
  const host: ConnectionHost = {
    settings: config.gateway,
    wheel,
    heartbeatTicks: wheel.ticksIn(config.gateway.heartbeatSeconds * 1000),
    authTimeoutTicks: wheel.ticksIn(config.gateway.authTimeoutSeconds * 1000),
    nodeId,
    log,
    metrics,
    ops,
    authenticator,
    callers,
    closeGraceMs: options.closeGraceMs ?? 5000,
    onAuthenticated(conn) {
      if (!hub.add(conn)) return;
      const userId = conn.principal!.userId;
      const change = directory.set(nodeId, userId, true);
      cluster.announce(userId, true);
      if (change) changed([change]);
    },
    onClosing(_conn, reason) {
      metrics.wsClosedByServer.inc({ reason });
      closes.count(reason);
    },
    onClosed(conn) {
      live.delete(conn);
      metrics.wsConnections.dec();
      if (!hub.remove(conn)) return;
      const userId = conn.principal!.userId;
      const change = directory.set(nodeId, userId, false);
      // On shutdown one `leave` replaces a message per user.
      if (closing) return;
      cluster.announce(userId, false);
      if (change) changed([change]);
    },
  };

  registerPresenceQuery(ops, directory, hub, callers);
  cluster.start();

  const accept = (socket: SocketAdapter, ip: string): Connection => {
    const conn = new Connection(socket, ip, host);
    live.add(conn);
    metrics.wsConnections.inc();
    return conn;
  };

  const socketListeners: SocketListeners = {
    closed: (ws) => sockets.delete(ws),
    error: (ws, err) => log.debug({ err, conn: (ws.peer as Connection | null)?.id }, 'websocket error'),
  };
  const routes = new Map<string, UpgradeRoute>();
  const listener = createUpgradeHandler({
    routes,
    maxPayload: config.gateway.maxFrameBytes,
    trustProxy: config.http.trustProxy,
    isClosing: () => closing,
    listeners: socketListeners,
    onSocket(ws, ip) {
      const conn = accept(ws, ip);
      sockets.add(ws);
      // Closed before its first frame is read; the frames that came with the upgrade are then ignored.
      if (closing) conn.close(CloseReason.ServerShutdown);
      return conn;
    },
  });
  let closed: Promise<void> | undefined;
  return {
    events: createEventSink({ nodeId, hub, directory, cluster, recent }),
    seqHints: {
      onSeqHint(listener) {
        seqListener = listener;
      },
    },
    nodeId,
    attach(server) {
      if (attachedTo) throw new Error('gateway already attached');
      attachedTo = server;
      server.on('upgrade', listener);
    },
    route(path, handler) {
      routes.set(path, handler);
    },
    accept,
    isOnline: (userId) => directory.isOnline(userId),
    locate: (userId) => [...(directory.nodesOf(userId) ?? [])],
    stats: () => ({
      connections: live.size,
      localUsers: hub.userCount,
      onlineUsers: directory.onlineUsers,
      nodes: directory.nodes(),
    }),
    clusterNodes: () =>
      directory
        .summaries()
        .map((n) =>
          n.nodeId === nodeId
            ? { ...n, users: hub.userCount, connections: live.size, seenAt: Date.now() }
            : n,
        ),
    leads: () => {
      const leader = directory.leader();
      return leader === undefined || leader === nodeId;
    },
    close() {
      closed ??= (async () => {
        // The upgrade listener stays: while the server winds down it answers 503.
        closing = true;
        for (const conn of [...live]) conn.close(CloseReason.ServerShutdown);
        await waitUntil(() => sockets.size === 0, options.shutdownGraceMs ?? 3000);
        for (const ws of sockets) ws.terminate();
        await cluster.stop();
        closes.stop();
      })();
      return closed;
    },
  };
}

async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
