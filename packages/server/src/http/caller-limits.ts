import type { OpName } from '@zhixin/protocol';
import { AppError } from '../errors.ts';

/** Limited actions that are not operations (plain routes). */
export type PlainLimitedAction = 'uploads.create';
export type LimitedAction = OpName | PlainLimitedAction;

/**
 * Per signed-in caller, per minute, whichever transport (REST or WebSocket) and from however many
 * addresses or sockets: operations that guess at something (phone numbers, meeting, group and user
 * codes, passwords) or flood others (friend requests, reports) or cost storage and work (uploads,
 * exports). The per-IP limits of the public operations are in rest.ts.
 */
export const CALLER_LIMITS_PER_MINUTE: Partial<Record<LimitedAction, number>> = {
  // Guessing: a search by phone number tells whether the number is registered.
  'friends.search': 30,
  'codes.resolve': 60,
  'groups.preview': 60,
  'groups.joinByCode': 30,
  // Nine-digit meeting codes.
  'meetings.join': 60,
  'auth.changePassword': 10,
  'auth.quickLogin.scan': 30,
  'auth.quickLogin.confirm': 30,
  'users.setAccount': 10,
  // Flooding other people.
  'friends.request': 30,
  'contacts.add': 60,
  'moments.report': 20,
  'moments.comment': 120,
  'calls.start': 30,
  'meetings.create': 30,
  'meetings.invite': 60,
  'groups.create': 30,
  // Storage and work.
  'images.upload': 60,
  'uploads.create': 120,
  'exports.ticket': 30,
  'files.link': 600,
};

const WINDOW_MS = 60_000;
// Forget the counters now and then, so callers who came once do not stay in memory.
const SWEEP_EVERY = 10_000;

/**
 * Fixed one-minute windows per (action, caller). One node's memory: in a cluster of N nodes behind a
 * load balancer a caller gets at most N times the limit, which still stops guessing at scale.
 */
export class CallerLimits {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private takes = 0;

  constructor(
    private readonly multiplier: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The limit per minute of an action, or undefined when it is not limited. */
  limitOf(action: LimitedAction): number | undefined {
    const base = CALLER_LIMITS_PER_MINUTE[action];
    return base === undefined ? undefined : base * this.multiplier;
  }

  /** Count one call; RATE_LIMITED (details.retryAfterMs) past the limit. Unlimited actions pass. */
  take(action: LimitedAction, callerId: string): void {
    const limit = this.limitOf(action);
    if (limit === undefined) return;
    const now = this.now();
    if (++this.takes % SWEEP_EVERY === 0) this.sweep(now);
    const key = `${action}\0${callerId}`;
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    if (w.count >= limit) {
      throw new AppError('RATE_LIMITED', { retryAfterMs: w.start + WINDOW_MS - now, limitPerMinute: limit });
    }
    w.count += 1;
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key);
  }
}
