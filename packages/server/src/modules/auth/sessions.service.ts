import type { Device, DeviceInfo, Role, Session } from '@zhixin/protocol';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Principal } from '../../http/principal.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { UsersService } from '../users/index.ts';
import type { AuthEvidence } from './auth.evidence.ts';
import type { RevokedSessions } from './revocations.ts';
import type { RevokedRow, SessionsRepo } from './sessions.repo.ts';
import { hashRefreshToken, newRefreshToken, type AccessTokens } from './tokens.ts';

const DAY_MS = 86_400_000;
// Nodes' clocks differ a little; remember a revocation a minute longer than a token can live.
const CLOCK_SKEW_MS = 60_000;

/** How long a revocation must be remembered: as long as an access token issued before it can live. */
export function revocationWindowMs(config: Config['auth']): number {
  return config.accessTtlSeconds * 1000 + CLOCK_SKEW_MS;
}

export interface SessionsDeps {
  repo: SessionsRepo;
  tokens: AccessTokens;
  revoked: RevokedSessions;
  users: UsersService;
  events: EventSink;
  config: Config['auth'];
  /** Writes session revocations to the audit log. */
  evidence?: AuthEvidence;
  /** Told about every new session (a login or a registration), e.g. for usage statistics. */
  onOpened?: (userId: string, at: number) => void;
}

/**
 * Sessions: one per login of one device. Issues token pairs, rotates refresh tokens (detecting
 * reuse of a rotated one), revokes, and verifies access tokens without touching the database.
 */
export class Sessions {
  constructor(
    private readonly d: SessionsDeps,
    /** Resolves once the recent revocations are loaded (see createAuthModule). */
    private readonly ready: Promise<void>,
  ) {}

  async verifyAccessToken(token: string): Promise<Principal> {
    // Resolved once, at start, after the recent revocations are loaded; then free.
    await this.ready;
    const principal = await this.d.tokens.verify(token);
    if (this.d.revoked.has(principal.sessionId)) throw new AppError('SESSION_REVOKED');
    return principal;
  }

  /** Whether the session exists and has not ended (for capabilities bound to a session). */
  async isLive(sessionId: string): Promise<boolean> {
    if (this.d.revoked.has(sessionId)) return false;
    const s = await this.d.repo.byId(sessionId);
    return s !== null && s.revokedAt === null;
  }

  /** A new session for this device; the device's previous session (if any) ends. */
  async open(user: { id: string; role: Role }, device: DeviceInfo): Promise<Session> {
    const now = Date.now();
    this.announce(await this.d.repo.revokeForUser(user.id, now, { deviceId: device.deviceId }), now);
    const refresh = newRefreshToken();
    const refreshExpiresAt = now + this.d.config.refreshTtlDays * DAY_MS;
    const id = newId(now);
    await this.d.repo.insert({
      id,
      userId: user.id,
      deviceId: device.deviceId,
      deviceName: device.name,
      platform: device.platform,
      refreshHash: refresh.hash,
      prevRefreshHash: null,
      refreshExpiresAt,
      createdAt: now,
      lastSeenAt: now,
      revokedAt: null,
    });
    await this.d.users.touch(user.id);
    this.d.onOpened?.(user.id, now);
    return this.present(
      { userId: user.id, sessionId: id, role: user.role },
      refresh.token,
      refreshExpiresAt,
      now,
    );
  }

  /** Rotate a refresh token. A token that was already rotated away means theft: the session ends. */
  async refresh(refreshToken: string): Promise<Session> {
    const now = Date.now();
    const hash = hashRefreshToken(refreshToken);
    const s = await this.d.repo.byRefreshHash(hash);
    if (!s) {
      const stolen = await this.d.repo.byPrevRefreshHash(hash);
      if (!stolen) throw new AppError('TOKEN_INVALID');
      await this.revokeIds([stolen.id], 'refresh_token_reused');
      throw new AppError('SESSION_REVOKED', { reason: 'refresh_token_reused' });
    }
    if (s.revokedAt !== null) throw new AppError('SESSION_REVOKED');
    if (s.refreshExpiresAt <= now) throw new AppError('TOKEN_EXPIRED');
    const account = await this.d.users.account(s.userId);
    if (!account || account.status !== 'active') {
      await this.revokeIds([s.id], 'account_disabled');
      throw new AppError('ACCOUNT_DISABLED');
    }
    const next = newRefreshToken();
    const refreshExpiresAt = now + this.d.config.refreshTtlDays * DAY_MS;
    if (!(await this.d.repo.rotate(s.id, hash, next.hash, refreshExpiresAt, now))) {
      // Another request rotated this very token a moment ago: the same token was used twice.
      await this.revokeIds([s.id], 'refresh_token_reused');
      throw new AppError('SESSION_REVOKED', { reason: 'refresh_token_reused' });
    }
    await this.d.users.touch(s.userId);
    return this.present(
      { userId: s.userId, sessionId: s.id, role: account.role },
      next.token,
      refreshExpiresAt,
      now,
    );
  }

  async devices(p: Principal): Promise<Device[]> {
    const live = await this.d.repo.liveForUser(p.userId, Date.now());
    return live.map((s) => ({
      sessionId: s.id,
      deviceId: s.deviceId,
      name: s.deviceName,
      platform: s.platform,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      current: s.id === p.sessionId,
    }));
  }

  /** Log one of the caller's own devices out; NOT_FOUND for anyone else's or an ended session. */
  async revokeDevice(p: Principal, sessionId: string): Promise<void> {
    const s = await this.d.repo.byId(sessionId);
    if (!s || s.userId !== p.userId || s.revokedAt !== null) throw AppError.notFound('session');
    await this.revokeIds([sessionId], 'device_revoked');
  }

  /** End these sessions; `reason` goes into the evidence (none for the user's own logout). Returns how many ended. */
  async revokeIds(ids: readonly string[], reason?: string): Promise<number> {
    const now = Date.now();
    const rows = await this.d.repo.revokeIds(ids, now);
    this.announce(rows, now);
    await this.record(rows, reason);
    return rows.length;
  }

  /** End every session of a user except, optionally, one. Returns how many ended. */
  async revokeAllForUser(userId: string, exceptSessionId?: string, reason = 'revoked'): Promise<number> {
    const now = Date.now();
    const opts = exceptSessionId === undefined ? {} : { exceptId: exceptSessionId };
    const rows = await this.d.repo.revokeForUser(userId, now, opts);
    this.announce(rows, now);
    await this.record(rows, reason);
    return rows.length;
  }

  /** A user's live sessions, as devices (for the console). */
  async devicesOf(userId: string): Promise<Device[]> {
    return this.devices({ userId, sessionId: '', role: 'user' });
  }

  private async record(rows: readonly RevokedRow[], reason: string | undefined): Promise<void> {
    if (!reason || !this.d.evidence || rows.length === 0) return;
    const byUser = new Map<string, string[]>();
    for (const r of rows) byUser.set(r.userId, [...(byUser.get(r.userId) ?? []), r.id]);
    for (const [userId, ids] of byUser) await this.d.evidence.sessionsRevoked(userId, ids, reason);
  }

  /** Every node stops accepting the sessions' access tokens; gateways close their sockets. */
  private announce(rows: RevokedRow[], now: number): void {
    for (const r of rows) {
      this.d.revoked.announce({ sessionId: r.id, until: now + revocationWindowMs(this.d.config) });
      this.d.events.emit([r.userId], 'session.revoked.v1', { sessionId: r.id });
    }
  }

  private async present(
    p: Principal,
    refreshToken: string,
    refreshExpiresAt: number,
    now: number,
  ): Promise<Session> {
    const access = await this.d.tokens.sign(p, now);
    return {
      userId: p.userId,
      sessionId: p.sessionId,
      tokens: {
        accessToken: access.token,
        accessExpiresAt: access.expiresAt,
        refreshToken,
        refreshExpiresAt,
      },
    };
  }
}
