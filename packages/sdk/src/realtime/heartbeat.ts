import type { TimerHandle, Timers } from '../platform/timers.ts';

/**
 * Nothing from a server that drives the heartbeat for two beats and this long (at most one beat
 * more): the link is dead. The server itself gives up on a client after two unanswered pings.
 */
export const SERVER_HEARTBEAT_GRACE_MS = 5000;

/**
 * The application-level heartbeat, in the mode the server's `hello` names.
 *
 * - `client` ({@link start}): a ping every interval; a ping still unanswered when the next is due
 *   means the link is dead (a half-open TCP connection can look open for minutes otherwise).
 * - `server` ({@link watch}): the server pings a quiet client each beat and the client answers. No
 *   ping leaves here; nothing at all heard for two beats and a grace means the link is dead.
 */
export class Heartbeat {
  private timer: TimerHandle | undefined;
  private awaitingPong = false;
  /** Local time of the last sign of life (start, pong, or in `server` mode any frame). */
  lastAliveAt = 0;

  constructor(
    private readonly timers: Timers,
    private readonly ping: (t: number) => void,
    private readonly onDead: (intervalMs: number) => void,
  ) {}

  /** `client` mode: ping every `intervalMs`. */
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

  /** `server` mode: expect a frame at least every `intervalMs` (the server's pings fill the quiet). */
  watch(intervalMs: number): void {
    this.stop();
    const ms = intervalMs > 0 ? intervalMs : 25_000;
    const limit = 2 * ms + Math.min(SERVER_HEARTBEAT_GRACE_MS, ms);
    this.lastAliveAt = this.timers.now();
    this.timer = this.timers.setInterval(
      () => {
        if (this.timers.now() - this.lastAliveAt <= limit) return;
        this.stop();
        this.onDead(limit);
      },
      Math.max(20, Math.floor(ms / 2)),
    );
  }

  /** The answer to our ping (`client` mode). */
  pong(): void {
    this.awaitingPong = false;
    this.lastAliveAt = this.timers.now();
  }

  /** Any frame from the server (`server` mode). */
  alive(): void {
    this.lastAliveAt = this.timers.now();
  }

  stop(): void {
    if (this.timer !== undefined) this.timers.clearInterval(this.timer);
    this.timer = undefined;
  }
}
