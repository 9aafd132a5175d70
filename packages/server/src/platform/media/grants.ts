import { timingSafeEqual } from 'node:crypto';

/** What a media grant allows: one user in one room of one meeting, with two feed ids, until `exp`. */
export interface GrantClaims {
  meetingId: string;
  userId: string;
  /** The pool server and Janus room the grant is for (a moved room needs a new grant). */
  server: string;
  room: number;
  feedId: number;
  screenFeedId: number;
  display: string;
  /** Milliseconds since the epoch. */
  exp: number;
}

const PREFIX = 'ZXG1';

function isClaims(v: unknown): v is GrantClaims {
  const c = v as GrantClaims;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.meetingId === 'string' &&
    typeof c.userId === 'string' &&
    typeof c.server === 'string' &&
    typeof c.display === 'string' &&
    Number.isSafeInteger(c.room) &&
    Number.isSafeInteger(c.feedId) &&
    Number.isSafeInteger(c.screenFeedId) &&
    Number.isSafeInteger(c.exp)
  );
}

/**
 * Signs and checks media grants: `ZXG1.<base64url JSON>.<mac>`. The proxy accepts a grant only
 * while it verifies and has not expired; whether it was revoked (removed, ended, room moved) is
 * the meetings module's question.
 */
export class GrantSigner {
  constructor(private readonly mac: (data: string) => string) {}

  sign(claims: GrantClaims): string {
    const body = `${PREFIX}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The claims of a valid, unexpired grant, or null. */
  verify(grant: string, now = Date.now()): GrantClaims | null {
    if (grant.length > 4096) return null;
    const parts = grant.split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) return null;
    const body = `${parts[0]}.${parts[1]}`;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(parts[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isClaims(claims) || claims.exp <= now) return null;
    return claims;
  }
}
