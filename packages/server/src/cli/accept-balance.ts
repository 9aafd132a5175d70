import type { Server } from 'node:net';
import type { Logger } from '../platform/logger.ts';

/**
 * Shared accept (`workerAccept: shared`): every worker of `--workers N` accepts from the one listening
 * socket, so a connection costs no IPC through the primary (round-robin passes each accepted socket
 * to a worker and waits for its answer: two IPC messages and a primary that must keep up; measured,
 * 1.5x the server CPU per reconnect). The kernel gives each connection to whichever worker takes it
 * first, which spreads connections unevenly (3:1 seen among 8 workers), so each worker stops polling
 * the socket while it holds more than its share, or when it nears its open-file limit, and starts
 * again below it. The shares: workers report their open connections to the primary, which tells
 * them all the ceiling (the mean, 10 % and FAIR_SLACK above).
 */

/** A worker's open connections, to the primary: when it pauses, and while the count changes. */
export interface AcceptReport {
  zx: 'accept';
  open: number;
}

/** The primary's answer to all workers: pause at this many open connections. */
export interface AcceptCeiling {
  zx: 'accept-ceiling';
  ceiling: number;
}

export const isAcceptReport = (m: unknown): m is AcceptReport =>
  typeof m === 'object' &&
  m !== null &&
  (m as AcceptReport).zx === 'accept' &&
  Number.isSafeInteger((m as AcceptReport).open);

const isAcceptCeiling = (m: unknown): m is AcceptCeiling =>
  typeof m === 'object' &&
  m !== null &&
  (m as AcceptCeiling).zx === 'accept-ceiling' &&
  typeof (m as AcceptCeiling).ceiling === 'number';

/**
 * Open files a worker keeps beside its connections (database, logs, the broker, uploads in flight),
 * and room for the connections taken in the wake-up that reached the limit.
 */
export const WORKER_FILE_RESERVE = 512;

const FAIR_RATIO = 1.1;
/** Connections above the mean share a worker may hold before it pauses (so a small node never waits). */
export const FAIR_SLACK = 64;
/** How often a worker whose count moved (or that is paused) reports it and rechecks. */
const REPORT_MS = 250;

/** The share ceiling of workers holding these counts: the mean, 10 % and `slack` above. */
export function fairCeiling(counts: Iterable<number>, slack = FAIR_SLACK): number {
  let sum = 0;
  let n = 0;
  for (const c of counts) {
    sum += c;
    n++;
  }
  return n === 0 ? Infinity : Math.ceil((sum / n) * FAIR_RATIO) + slack;
}

/**
 * The primary's half: keeps each worker's last count and tells every worker the ceiling when it moved
 * by 2 % (or 16). A stale ceiling never stops them all: the emptiest worker is always well below it.
 */
export class AcceptBalancer {
  private readonly open = new Map<string, number>();
  private sent = Infinity;

  constructor(private readonly broadcast: (m: AcceptCeiling) => void) {}

  report(worker: string, open: number): void {
    this.open.set(worker, open);
    this.recompute();
  }

  /** A worker exited: its connections are gone. */
  remove(worker: string): void {
    if (this.open.delete(worker)) this.recompute();
  }

  private recompute(): void {
    const ceiling = fairCeiling(this.open.values());
    if (ceiling === this.sent) return;
    const moved = Math.abs(ceiling - this.sent);
    if (Number.isFinite(this.sent) && moved < Math.max(16, this.sent * 0.02)) return;
    this.sent = ceiling;
    this.broadcast({ zx: 'accept-ceiling', ceiling });
  }
}

/** The libuv calls of a listening handle that start and stop polling it for connections. */
export interface ListenHandle {
  readStart(): number;
  readStop(): number;
}

export interface AcceptGateOptions {
  /** Pause at this many open connections whatever the share (the open-file limit less a reserve). */
  hardLimit: number;
  /** The server's open connections now (net.Server.getConnections). */
  count(done: (open: number) => void): void;
  report(m: AcceptReport): void;
  log: Logger;
}

/**
 * The worker's half: pauses and resumes polling the listening handle. Connections accepted in the
 * wake-up that crossed the limit are still taken (libuv accepts until the queue is empty), which the
 * hard limit's reserve absorbs.
 */
export class AcceptGate {
  private ceiling = Infinity;
  private paused = false;
  private reported = -1;
  private timer: NodeJS.Timeout | undefined;
  /** Warned once per episode of being at the hard limit. */
  private full = false;
  /** The server closed: a count still on its way changes nothing. */
  private stopped = false;

  constructor(
    private readonly handle: ListenHandle,
    private readonly o: AcceptGateOptions,
  ) {}

  get accepting(): boolean {
    return !this.paused;
  }

  /** A connection was accepted: recheck now, report soon. */
  accepted(): void {
    this.o.count((open) => this.apply(open));
    this.arm();
  }

  setCeiling(ceiling: number): void {
    this.ceiling = ceiling;
    this.o.count((open) => this.apply(open));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private apply(open: number): void {
    if (this.stopped) return;
    const limit = Math.min(this.o.hardLimit, this.ceiling);
    if (!this.paused && open >= limit) {
      this.paused = true;
      this.handle.readStop();
      this.send(open);
      this.arm();
      if (open >= this.o.hardLimit && !this.full) {
        this.full = true;
        this.o.log.warn(
          { open, limit: this.o.hardLimit },
          'worker at its connection limit (open files): not accepting until some close',
        );
      }
    } else if (this.paused && open < limit) {
      this.paused = false;
      this.handle.readStart();
      if (open < this.o.hardLimit) this.full = false;
    }
  }

  private send(open: number): void {
    if (open === this.reported) return;
    this.reported = open;
    this.o.report({ zx: 'accept', open });
  }

  /** While the count moves or the worker is paused: report and recheck every REPORT_MS. */
  private arm(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.o.count((open) => {
        if (this.stopped) return;
        const moved = open !== this.reported;
        this.send(open);
        this.apply(open);
        if (moved || this.paused) this.arm();
      });
    }, REPORT_MS);
    this.timer.unref();
  }
}

/**
 * Gate a cluster worker's server (shared accept): count its connections, pause polling while over
 * its share or `hardLimit`, and exchange counts and ceilings with the primary over the IPC channel.
 * Returns null (and logs why) when the listening handle cannot be paused on this Node.
 */
export function gateAccepts(server: Server, opts: { hardLimit: number; log: Logger }): AcceptGate | null {
  // Node has no public call to stop accepting without closing the server. Its listening handle is a
  // libuv stream: uv_read_stop stops polling its fd, uv_read_start polls it again (and the kernel
  // queues what arrives meanwhile for the other workers to take).
  const handle = (server as unknown as { _handle?: Partial<ListenHandle> | null })._handle;
  // readStart marks the stream as reading, so that readStop will stop polling it (it is polled already).
  const started =
    typeof handle?.readStart === 'function' && typeof handle.readStop === 'function'
      ? handle.readStart()
      : null;
  if (started !== 0) {
    opts.log.warn(
      { code: started ?? 'no readStart/readStop' },
      'shared accept: the listening handle cannot pause; accepting without a share limit',
    );
    return null;
  }
  const gate = new AcceptGate(handle as ListenHandle, {
    hardLimit: opts.hardLimit,
    log: opts.log,
    count: (done) => server.getConnections((err, open) => done(err ? 0 : open)),
    report: (m) => process.send?.(m, undefined, {}, () => {}),
  });
  server.on('connection', () => gate.accepted());
  const onMessage = (m: unknown) => {
    if (isAcceptCeiling(m)) gate.setCeiling(m.ceiling);
  };
  process.on('message', onMessage);
  server.once('close', () => {
    gate.stop();
    process.off('message', onMessage);
  });
  return gate;
}
