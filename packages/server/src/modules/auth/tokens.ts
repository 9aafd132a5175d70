import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import type { Role } from '@zhixin/protocol';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppError } from '../../errors.ts';
import type { Principal } from '../../http/principal.ts';
import { randomToken } from '../../platform/ids.ts';

// The audience tells our access tokens apart from any other JWT signed with the same key later.
const AUDIENCE = 'zhixin:access';
const ROLES: ReadonlySet<string> = new Set<Role>(['user', 'operator', 'auditor', 'admin']);

/** Short-lived HS256 access tokens: sub = user id, sid = session id, role. */
export class AccessTokens {
  private readonly key: KeyObject;

  constructor(
    keyBytes: Uint8Array,
    private readonly ttlSeconds: number,
  ) {
    this.key = createSecretKey(keyBytes);
  }

  async sign(p: Principal, now = Date.now()): Promise<{ token: string; expiresAt: number }> {
    const iat = Math.floor(now / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ sid: p.sessionId, role: p.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(p.userId)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** The principal of a valid token; throws TOKEN_EXPIRED or TOKEN_INVALID. */
  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], audience: AUDIENCE }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new AppError('TOKEN_EXPIRED');
      throw new AppError('TOKEN_INVALID');
    }
    const { sub, sid, role } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typeof role !== 'string' || !ROLES.has(role)) {
      throw new AppError('TOKEN_INVALID');
    }
    return { userId: sub, sessionId: sid, role: role as Role };
  }
}

/** Only this hash of a refresh token is stored: a database leak does not hand out sessions. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function newRefreshToken(): { token: string; hash: string } {
  const token = randomToken(32);
  return { token, hash: hashRefreshToken(token) };
}
