/** The default clock: one function for every bucket (a default parameter arrow is a closure each). */
function monotonicNow(): number {
  return performance.now();
}

/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved up. One per connection,
 * so a flooding client is answered RATE_LIMITED while the others are unaffected.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst = ratePerSecond,
    private readonly now: () => number = monotonicNow,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Take one token; false when none is left. */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token. */
  retryAfterMs(): number {
    return Math.max(0, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
  }
}
