import type { Broker, Subscription } from '../../platform/broker/index.ts';
import type { Logger } from '../../platform/logger.ts';

/** Broker subject on which every node announces revoked sessions. */
export const REVOKED_SUBJECT = 'zx.auth.revoked';

export interface Revocation {
  sessionId: string;
  /** Ms time after which every access token of the session has expired anyway: forget it then. */
  until: number;
}

function isRevocation(v: unknown): v is Revocation {
  const r = v as Partial<Revocation> | null;
  return typeof r?.sessionId === 'string' && typeof r.until === 'number';
}

const SWEEP_EVERY_MS = 60_000;

/**
 * The sessions revoked within the last access-token lifetime, in memory, so verifying an access
 * token costs no database query. Fed by the broker (every node's revocations) and, at start, by
 * the database (revocations that happened before this node came up).
 */
export class RevokedSessions {
  private readonly until = new Map<string, number>();
  private sub: Subscription | undefined;
  private lastSweep = Date.now();

  constructor(
    private readonly broker: Broker,
    private readonly log: Logger,
  ) {}

  /** Subscribe first, then load: a revocation published during the load is not missed. */
  async start(loadRecent: () => Promise<Revocation[]>): Promise<void> {
    this.sub = this.broker.subscribe(REVOKED_SUBJECT, (payload) => {
      if (isRevocation(payload)) this.add(payload);
      else this.log.warn({ subject: REVOKED_SUBJECT }, 'ignored a malformed revocation');
    });
    for (const r of await loadRecent()) this.add(r);
  }

  has(sessionId: string, now = Date.now()): boolean {
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(sessionId);
    return false;
  }

  add(r: Revocation): void {
    this.until.set(r.sessionId, Math.max(r.until, this.until.get(r.sessionId) ?? 0));
    const now = Date.now();
    if (now - this.lastSweep > SWEEP_EVERY_MS) {
      this.lastSweep = now;
      for (const [id, until] of this.until) if (until <= now) this.until.delete(id);
    }
  }

  /** Revoke here at once and tell the other nodes. */
  announce(r: Revocation): void {
    this.add(r);
    this.broker.publish(REVOKED_SUBJECT, r);
  }

  get size(): number {
    return this.until.size;
  }

  close(): void {
    this.sub?.unsubscribe();
  }
}
