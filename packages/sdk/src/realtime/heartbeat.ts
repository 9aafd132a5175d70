import type { TimerHandle, Timers } from '../platform/timers.ts';

/**
 * The application-level heartbeat: a ping every interval; a ping still unanswered when the next is
 * due means the link is dead (a half-open TCP connection can look open for minutes otherwise).
 */
export class Heartbeat {
  private timer: TimerHandle | undefined;
  private awaitingPong = false;
  /** Local time of the last sign of life (start or pong). */
  lastAliveAt = 0;

  constructor(
    private readonly timers: Timers,
    private readonly ping: (t: number) => void,
    private readonly onDead: (intervalMs: number) => void,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    const ms = intervalMs > 0 ? intervalMs : 25_000;
    this.awaitingPong = false;
    this.lastAliveAt = this.timers.now();
    this.timer = this.timers.setInterval(() => {
      if (this.awaitingPong) {
        this.stop();
        this.onDead(ms);
        return;
      }
      this.awaitingPong = true;
      this.ping(this.timers.now());
    }, ms);
  }

  pong(): void {
    this.awaitingPong = false;
    this.lastAliveAt = this.timers.now();
  }

  stop(): void {
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
  }
}
