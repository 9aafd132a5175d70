import type { ZhixinError } from '../errors.ts';

/** What a policy knows when it decides the next delay. */
export interface RetryContext {
  /** 0 for the first retry after a failure, then 1, 2, ... until a success resets it. */
  attempt: number;
  /** Why the last attempt failed. */
  error?: ZhixinError;
}

/**
 * Decides how long to wait before the next reconnect (or retry) attempt. Return `null` to give up.
 * Inject your own through `ZhixinClient` options, e.g. to stop after a few attempts on mobile data.
 */
export interface ReconnectPolicy {
  nextDelayMs(context: RetryContext): number | null;
}

export interface BackoffOptions {
  /** Upper bound of the first delay; default 500 ms. */
  baseMs?: number;
  /** Upper bound of any delay; default 30 s. */
  maxMs?: number;
  /** Give up after this many attempts; default never. */
  maxAttempts?: number;
  /** A source of numbers in [0, 1); default `Math.random`. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: the n-th delay is uniform in `[0, min(maxMs, baseMs * 2^n))`,
 * so that thousands of clients dropped by one server restart do not come back in lockstep.
 * A server-given `retryAfterMs` (rate limiting) is honoured as a lower bound.
 *
 * @example
 * new ZhixinClient({ baseUrl, reconnectPolicy: new ExponentialBackoffPolicy({ baseMs: 1000, maxMs: 60_000 }) });
 */
export class ExponentialBackoffPolicy implements ReconnectPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 500;
    this.maxMs = options.maxMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.random = options.random ?? Math.random;
  }

  /** @example new ExponentialBackoffPolicy().nextDelayMs({ attempt: 3 }); // somewhere in [0, 4000) */
  nextDelayMs({ attempt, error }: RetryContext): number | null {
    if (attempt >= this.maxAttempts) return null;
    // 2 ** attempt overflows to Infinity after ~1024 attempts; min() keeps the cap.
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** attempt);
    const delay = Math.floor(this.random() * ceiling);
    const floor = error?.retryAfterMs();
    return floor === undefined ? delay : Math.max(delay, floor);
  }
}
