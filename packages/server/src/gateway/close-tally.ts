import type { CloseReason } from '@zhixin/protocol';
import type { Logger } from '../platform/logger.ts';

/** Closes that mean a client went silent or never authenticated: worth a warning in bulk. */
const TALLIED: ReadonlySet<CloseReason> = new Set<CloseReason>(['heartbeat_timeout', 'auth_timeout']);

/**
 * Counts the connections the gateway closed because their clients went silent (missed heartbeats)
 * or never authenticated in time, and logs them at warn once per window: one line a minute instead
 * of one per connection. A wave of vanished devices (a network outage, a stalled client fleet) then
 * shows in a log kept at warn, without a flood of lines. Other closes are logged where they happen
 * (slow consumers) or are routine (revoked sessions, shutdown).
 */
export class CloseTally {
  private counts = new Map<CloseReason, number>();
  private since: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly log: Logger,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.since = now();
    this.timer = setInterval(() => this.flush(), windowMs);
    this.timer.unref();
  }

  count(reason: CloseReason): void {
    if (TALLIED.has(reason)) this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  /** Log what was counted since the last flush, if anything, and start a new window. */
  flush(): void {
    const end = this.now();
    if (this.counts.size > 0) {
      this.log.warn(
        { closed: Object.fromEntries(this.counts), seconds: Math.round((end - this.since) / 1000) },
        'connections closed by the gateway for silence or a missing auth',
      );
      this.counts = new Map();
    }
    this.since = end;
  }

  /** Log the last window and stop. */
  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
