import type { Broker } from '../platform/broker/index.ts';
import { Subjects, type PresenceMessage } from './subjects.ts';

/**
 * Presence changes of this node go out together at most one batch window after the first: a connect
 * storm of 2,000 users a second over 32 workers is then a few messages a second per node, not 2,000
 * that every node must receive and parse (measured: a third of a worker's CPU in a 10,000-client
 * ramp). The batches leave at the next multiple of the window on the clock, the same instants on
 * every node.
 *
 * Every node receives every other node's batches, so the window grows with the cluster: 50 ms up to
 * 8 nodes and 50 ms more per 8 more (at most 400 ms). A node then receives at most ~160 presence
 * messages a second however many nodes there are. Measured with 32 workers ramping 380 logins a
 * second: 345 presence messages a second with a 50 ms window (1.1 users each), each read by all 32.
 */
const PRESENCE_BATCH_MS = 50;
const NODES_PER_BATCH_STEP = 8;
const PRESENCE_BATCH_MAX_MS = 400;

/** The presence batch window of a cluster of `nodes` nodes (this one included). */
export function presenceBatchMs(nodes: number): number {
  const steps = Math.max(1, Math.ceil(nodes / NODES_PER_BATCH_STEP));
  return Math.min(PRESENCE_BATCH_MAX_MS, PRESENCE_BATCH_MS * steps);
}
/** A batch this large goes out at once. */
const PRESENCE_BATCH_MAX = 2000;

/** This node's presence changes on their way to the others (see PRESENCE_BATCH_MS). */
export class PresenceBatch {
  /** Changes not published yet, by user: the last state wins. */
  private readonly pending = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly self: string,
    /** The nodes of the cluster now (this one included): the window follows it. */
    private readonly nodes: () => number,
  ) {}

  /** This node's first connection of a user opened, or its last one closed. */
  announce(userId: string, online: boolean): void {
    this.pending.delete(userId);
    this.pending.set(userId, online);
    if (this.pending.size >= PRESENCE_BATCH_MAX) this.flush();
    else if (!this.timer) {
      // Every node flushes on the same wall-clock slots: a receiver then gets the batches of all
      // nodes together and reads them in one wake-up, instead of one wake-up per node and batch.
      const window = presenceBatchMs(this.nodes());
      const wait = window - (Date.now() % window);
      this.timer = setTimeout(() => this.flush(), wait);
      this.timer.unref();
    }
  }

  /** Publish the pending changes as one message (before any heartbeat: they count in it). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const online: string[] = [];
    const offline: string[] = [];
    for (const [userId, on] of this.pending) (on ? online : offline).push(userId);
    this.pending.clear();
    this.broker.publish(Subjects.presence, { nodeId: this.self, online, offline } satisfies PresenceMessage);
  }

  /** Forget the pending changes (the node is leaving: its `leave` takes all its users offline). */
  discard(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
