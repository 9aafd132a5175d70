import type { HubConnection } from './hub.ts';

export interface EveryoneOptions {
  /**
   * Wall time one slice of an everyone-delivery may take, the sockets' writes included (default
   * 10 ms): what a chat message waits behind a channel post on this node, against S3's 100 ms.
   */
  sliceMs?: number;
  /** Connections written per slice at most (default 8,192; tests make it small). */
  maxSlice?: number;
  /** A write threw (the rest of the delivery goes on); default: rethrown, as an uncaught error. */
  onError?: (err: unknown) => void;
}

/** What one everyone-delivery did on this node. */
export interface EveryoneResult {
  /** Connections written to (closed ones and the excepted session not counted). */
  sent: number;
  /** Slices (turns of the event loop) it was written in. */
  slices: number;
}

interface Job<C> {
  readonly data: Buffer;
  /** The connections still owed this frame, in the order they are written. */
  readonly pending: Set<C>;
  readonly next: IterableIterator<C>;
  sent: number;
  slices: number;
  done(result: EveryoneResult): void;
}

/** Connections in the first slice, before the cost of one is measured (~8 ms at 30 µs each). */
const FIRST_SLICE = 256;
const MIN_SLICE = 16;

/**
 * Frames for every connection of this node (channel posts), written a slice at a time with a turn
 * of the event loop between slices, so that the other traffic of the node (chat sends, acks,
 * pings) waits one slice, not the whole delivery (0.4 s for 12,500 sockets).
 *
 * Order: every connection gets these frames in the order they were queued (one delivery at a time,
 * first in first out), and `owe` hands a connection what it is still owed before any other frame of
 * the hub, so no event reaches a connection before an everyone-frame queued ahead of it. Who gets
 * a frame is fixed when it is queued: a connection that joins later is not written (its catch-up
 * after `hello` reads the store, where the post already is), one that leaves is skipped.
 *
 * The size of a slice adapts: after each one, a tick queued behind the sockets' uncork (see
 * GatewaySocket) measures its wall time, writes included, and sets the next slice's count.
 */
export class EveryoneQueue<C extends HubConnection> {
  private readonly jobs: Array<Job<C>> = [];
  private readonly sliceMs: number;
  private readonly maxSlice: number;
  private readonly onError: (err: unknown) => void;
  private slice: number;
  private scheduled = false;
  /** Connections taken in the current slice. */
  private written = 0;

  constructor(options: EveryoneOptions = {}) {
    this.sliceMs = options.sliceMs ?? 10;
    this.maxSlice = Math.max(1, options.maxSlice ?? 8192);
    this.slice = Math.min(FIRST_SLICE, this.maxSlice);
    this.onError =
      options.onError ??
      ((err) => {
        throw err;
      });
  }

  /** Whether a delivery is under way (then every other frame must go through `owe` first). */
  get busy(): boolean {
    return this.jobs.length > 0;
  }

  /** Write `data` to each of `recipients` (taken now), a slice per turn of the event loop. */
  enqueue(recipients: Set<C>, data: Buffer): Promise<EveryoneResult> {
    return new Promise((done) => {
      this.jobs.push({ data, pending: recipients, next: recipients.values(), sent: 0, slices: 0, done });
      if (!this.scheduled) {
        this.scheduled = true;
        // Not now: the caller's publish to the other nodes goes first (see EventSink.emitToAll).
        setImmediate(() => this.run());
      }
    });
  }

  /** Write to `conn` the everyone-frames it is still owed, before the hub writes it anything else. */
  owe(conn: C): void {
    for (const job of this.jobs) if (job.pending.delete(conn) && conn.sendText(job.data)) job.sent++;
  }

  /** A connection left: it is owed nothing. */
  forget(conn: C): void {
    for (const job of this.jobs) job.pending.delete(conn);
  }

  private run(): void {
    const started = performance.now();
    this.written = 0;
    try {
      this.write(this.slice);
    } catch (err) {
      // The connection that threw has left `pending` already: the next slice goes on after it.
      this.onError(err);
    } finally {
      // Behind the uncork ticks queued by these writes: the slice's time includes the system calls.
      process.nextTick(() => this.measured(performance.now() - started));
    }
  }

  private write(budget: number): void {
    while (budget > 0 && this.jobs.length > 0) {
      const job = this.jobs[0]!;
      job.slices++;
      // A Set's iterator skips the entries deleted meanwhile (connections closed or already owed).
      for (let it = job.next.next(); ; it = job.next.next()) {
        if (it.done) {
          this.jobs.shift();
          job.done({ sent: job.sent, slices: job.slices });
          break;
        }
        const conn = it.value;
        job.pending.delete(conn);
        this.written++;
        budget--;
        if (conn.sendText(job.data)) job.sent++;
        if (budget === 0) return;
      }
    }
  }

  private measured(ms: number): void {
    if (this.written > 0 && ms > 0) {
      const fits = Math.floor((this.sliceMs * this.written) / ms);
      this.slice = Math.min(this.maxSlice, Math.max(MIN_SLICE, fits));
    }
    if (this.jobs.length > 0) setImmediate(() => this.run());
    else this.scheduled = false;
  }
}
