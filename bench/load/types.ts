/**
 * The contract of the lean load generator (issue 9): the parent process (`fleet.ts`) forks load
 * agents (`agent.ts`), each holding many raw-socket WebSocket connections with the real protocol.
 * Scenarios only talk to a `Fleet`; agents only talk to their parent over IPC with these messages.
 */

/** A pre-minted login: connection i of a fleet authenticates with credentials[i]. */
export interface Credential {
  userId: string;
  accessToken: string;
}

export interface FleetOptions {
  host: string;
  port: number;
  /** Load processes to fork (each stays under the per-process open-file limit). */
  agents: number;
  /** Local source addresses, spread over the agents (127.0.0.2, 127.0.0.3, ...). */
  sourceAddresses: string[];
  /** Protocol pings per connection; default: the server's hello heartbeatMs. */
  heartbeatMs?: number;
  /** Print progress lines to stderr (default true). */
  progress?: boolean;
  /**
   * Let the kernel pick each local port (bind to port 0), as before 2026-11-30: slow at tens of
   * thousands of connections (local-ports.ts); for A/B runs. Default: ZX_LOAD_KERNEL_PORTS=1, else
   * agents pick their own.
   */
  kernelPorts?: boolean;
}

/** Why connections failed, by kind; a limit of the machine is named, not hidden in a count. */
export interface FailureCounts {
  /** EMFILE / ENFILE: the process or system ran out of file descriptors. */
  fileLimit: number;
  /** EADDRNOTAVAIL / EADDRINUSE: ephemeral ports of a source address ran out. */
  portsExhausted: number;
  /** ECONNREFUSED / ECONNRESET / ETIMEDOUT during connect or upgrade (backlog overflow shows here). */
  refused: number;
  /** The server refused the upgrade (HTTP status other than 101) or closed before hello. */
  upgradeRejected: number;
  /** An `error` frame or close during auth (TOKEN_INVALID, SEALED, ...). */
  authRejected: number;
  /** An established (hello received) connection closed when the scenario did not close it. */
  dropped: number;
  /** Anything else, with the first few messages kept for the report. */
  other: number;
  samples: string[];
}

/** A mergeable latency histogram (log-linear buckets, µs resolution below 1 ms). */
export interface HistogramData {
  /** Bucket index -> count; see histogram.ts for the bucket layout. */
  counts: Record<number, number>;
  count: number;
  min: number;
  max: number;
  sum: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface FleetStats {
  /** Connections that have received hello and are still open. */
  open: number;
  /** Connect attempts made, hello received (ever), closed by us. */
  attempted: number;
  established: number;
  closedByUs: number;
  failures: FailureCounts;
  /** `message.created.v1` events received by all connections. */
  messageEvents: number;
  /** `sync.hint.v1` events (catch up now) received by all connections. */
  syncHints: number;
  /** Connect attempt -> hello, ms. */
  connectLatency: LatencySummary;
  /** Agent processes: pid, open connections, RSS bytes, CPU seconds (user+system). */
  agents: Array<{
    pid: number;
    open: number;
    rssBytes: number;
    cpuSeconds: number;
    /** V8 heap in use (after a full GC when the agent runs with --expose-gc). */
    heapUsedBytes?: number;
    /** The longest event-loop delay since the previous stats, ms. */
    loopDelayMaxMs?: number;
  }>;
}

/**
 * Open-model traffic. Each sender connection sends at a fixed rate regardless of answers (so slow
 * answers do not hide latency). A message body is `template` with `$CLIENT_ID` replaced by a client id
 * `<prefix>_<senderIndex>_<n>_<epoch µs>` that receivers use for latency, loss and order.
 */
export interface TrafficPlan {
  /** A name for the report (e.g. "direct", "group", "media"). */
  name: string;
  /** Sender connection index (into the fleet's credentials) -> what it sends. */
  senders: Array<{
    conn: number;
    /** WebSocket op, e.g. "messages.send". */
    op: string;
    /** Request bodies, JSON text, used in turn; `$CLIENT_ID` is substituted. */
    templates: string[];
    /** Messages per second from this sender (fractional allowed: 0.05 = one per 20 s). */
    ratePerSec: number;
    /** Connection indexes expected to receive each message (for loss accounting). */
    receivers: number[];
  }>;
  durationSec: number;
  /** How long after the last send to wait for deliveries before counting losses (default 10 s). */
  drainSec?: number;
}

export interface TrafficResult {
  name: string;
  sent: number;
  acked: number;
  /** Sends answered with an error frame, by error code. */
  rejected: Record<string, number>;
  /** Deliveries expected (acked x receivers) and seen. */
  expectedDeliveries: number;
  delivered: number;
  /** Acked messages some expected receiver never got (after drainSec). */
  lost: number;
  /** Deliveries that arrived out of order for their (sender, receiver) pair. */
  outOfOrder: number;
  duplicates: number;
  /** Send -> ack and send -> delivery, ms, on the same clock (epoch µs in the client id). */
  ackLatency: LatencySummary;
  deliveryLatency: LatencySummary;
  warmDeliveryLatency: LatencySummary;
  deliveryWindows: DeliveryWindow[];
  /** Achieved send rate (messages per second over the send window). */
  sendRate: number;
}

export interface Fleet {
  /**
   * Open one connection per credential at `ratePerSec` arrivals per second (open model: a slow
   * server does not slow the arrivals), resolve when every attempt has ended in hello or failure.
   */
  connect(credentials: Credential[], opts: { ratePerSec: number }): Promise<FleetStats>;
  stats(): Promise<FleetStats>;
  traffic(plan: TrafficPlan): Promise<TrafficResult>;
  /**
   * Close `count` open connections (spread over agents) and reconnect them at `ratePerSec`; each
   * reconnect then fetches what it missed with `syncOp`/`syncBody` if given (e.g. sync since last seq).
   * Resolves with connect latency and the time from reconnect to first answered request.
   */
  reconnect(opts: {
    count: number;
    ratePerSec: number;
    syncOp?: string;
    syncBody?: string;
  }): Promise<{ stats: FleetStats; firstAnswer: LatencySummary; elapsedSec: number; rate: number }>;
  close(): Promise<void>;
}

/** Parent -> agent IPC. */
export type AgentCommand =
  | {
      type: 'init';
      host: string;
      port: number;
      sourceAddresses: string[];
      heartbeatMs?: number;
      /** Global index of this agent's first connection. */
      base: number;
      /** This agent's share of the local ports of each source address (local-ports.ts). */
      portShare?: { index: number; of: number };
    }
  | { type: 'connect'; credentials: Credential[]; ratePerSec: number }
  | { type: 'stats'; reqId: number }
  | { type: 'traffic'; reqId: number; plan: TrafficPlan }
  | {
      type: 'reconnect';
      reqId: number;
      count: number;
      ratePerSec: number;
      syncOp?: string;
      syncBody?: string;
    }
  | { type: 'close' };

/** Agent -> parent IPC. */
export type AgentReport =
  | { type: 'ready'; pid: number }
  | { type: 'connected'; stats: AgentStats }
  | { type: 'stats'; reqId: number; stats: AgentStats }
  | { type: 'traffic'; reqId: number; result: AgentTrafficPart }
  | {
      type: 'reconnected';
      reqId: number;
      stats: AgentStats;
      firstAnswer: HistogramData;
      elapsedSec: number;
      /** First reconnect attempt -> last hello of this agent's reconnects (the connect rate's window). */
      connectSec?: number;
    }
  | { type: 'fatal'; message: string };

export interface AgentStats {
  pid: number;
  open: number;
  attempted: number;
  established: number;
  closedByUs: number;
  failures: FailureCounts;
  connectLatency: HistogramData;
  rssBytes: number;
  cpuSeconds: number;
  /** V8 heap in use (after a full GC when the agent runs with --expose-gc). */
  heapUsedBytes?: number;
  /** `message.created.v1` events received, whoever made them (channel posts carry server-made ids). */
  messageEvents: number;
  /** `sync.hint.v1` events received (the agent does not act on them). */
  syncHints: number;
  /** The longest event-loop delay since the previous stats, ms (a stall above ~50 s loses connections). */
  loopDelayMaxMs?: number;
}

/**
 * One agent's share of a traffic run; the fleet merges them (loss needs every agent's deliveries).
 * Message n of a sender is bit n of a bitmap (base64 of the bytes, bit n = byte n>>3, mask 1<<(n&7)),
 * so a 10-minute run ships kilobytes, not millions of ids.
 */
export interface AgentTrafficPart {
  sent: number;
  acked: number;
  rejected: Record<string, number>;
  /** Sender connection index -> bitmap of its acked message numbers. */
  ackedBySender: Record<number, string>;
  /** Receiving connection index -> sender connection index -> bitmap of message numbers received. */
  receivedBy: Record<number, Record<number, string>>;
  /** Counted where they arrive: n lower than one already seen from that sender / n seen twice. */
  outOfOrder: number;
  duplicates: number;
  delivered: number;
  ackLatency: HistogramData;
  deliveryLatency: HistogramData;
  /**
   * Deliveries of every message but each sender's first: that one meets the server's per-conversation
   * caches cold (membership, the expected seq, the block list), which a run of a minute, where every
   * sender's first message falls in its first seconds, would otherwise count as its tail.
   */
  warmDeliveryLatency: HistogramData;
  /** Deliveries by the 5-s window of the run they were sent in (see DeliveryWindow). */
  deliveryWindows: DeliveryWindow[];
  sendWindowSec: number;
}

/**
 * The deliveries of messages sent in one 5-s window of a run: where in the run a latency tail is
 * (a warm-up, a stall at one moment, or spread over the run).
 */
export interface DeliveryWindow {
  count: number;
  /** Those that took longer than S3's p99 bar (100 ms). */
  over100Ms: number;
  maxMs: number;
}
