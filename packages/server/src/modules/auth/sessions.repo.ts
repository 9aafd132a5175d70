import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** One login of one device. */
export interface SessionRecord {
  id: string;
  userId: string;
  deviceId: string;
  deviceName: string;
  platform: string;
  refreshHash: string;
  prevRefreshHash: string | null;
  refreshExpiresAt: number;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
}

/** A session that was just revoked: whom to tell. */
export interface RevokedRow {
  id: string;
  userId: string;
}

function toRecord(r: Selectable<DB['sessions']>): SessionRecord {
  return {
    id: r.id,
    userId: r.user_id,
    deviceId: r.device_id,
    deviceName: r.device_name,
    platform: r.platform,
    refreshHash: r.refresh_hash,
    prevRefreshHash: r.prev_refresh_hash,
    refreshExpiresAt: r.refresh_expires_at,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    revokedAt: r.revoked_at,
  };
}

/** The sessions table. */
export class SessionsRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id: s.id,
        user_id: s.userId,
        device_id: s.deviceId,
        device_name: s.deviceName,
        platform: s.platform,
        refresh_hash: s.refreshHash,
        prev_refresh_hash: s.prevRefreshHash,
        refresh_expires_at: s.refreshExpiresAt,
        created_at: s.createdAt,
        last_seen_at: s.lastSeenAt,
        revoked_at: s.revokedAt,
      })
      .execute();
  }

  async byId(id: string): Promise<SessionRecord | null> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async byRefreshHash(hash: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('refresh_hash', '=', hash)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async byPrevRefreshHash(hash: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('prev_refresh_hash', '=', hash)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /**
   * Replace the refresh token, only if `oldHash` is still the current one of a live session
   * (two concurrent refreshes with one token: exactly one wins). Returns whether it did.
   */
  async rotate(
    id: string,
    oldHash: string,
    newHash: string,
    expiresAt: number,
    now: number,
  ): Promise<boolean> {
    const res = await this.db
      .updateTable('sessions')
      .set({
        refresh_hash: newHash,
        prev_refresh_hash: oldHash,
        refresh_expires_at: expiresAt,
        last_seen_at: now,
      })
      .where('id', '=', id)
      .where('refresh_hash', '=', oldHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Revoke live sessions by id; returns those that were live. */
  async revokeIds(ids: readonly string[], now: number): Promise<RevokedRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('id', 'in', [...ids])
      .where('revoked_at', 'is', null)
      .returning(['id', 'user_id'])
      .execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id }));
  }

  /** Revoke a user's live sessions, optionally only one device's, optionally sparing one session. */
  async revokeForUser(
    userId: string,
    now: number,
    opts: { deviceId?: string; exceptId?: string } = {},
  ): Promise<RevokedRow[]> {
    let q = this.db
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (opts.deviceId !== undefined) q = q.where('device_id', '=', opts.deviceId);
    if (opts.exceptId !== undefined) q = q.where('id', '!=', opts.exceptId);
    const rows = await q.returning(['id', 'user_id']).execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id }));
  }

  /** Sessions not revoked whose refresh token still works, oldest first. */
  async liveForUser(userId: string, now: number): Promise<SessionRecord[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('refresh_expires_at', '>', now)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRecord);
  }

  async revokedSince(since: number): Promise<Array<{ id: string; revokedAt: number }>> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['id', 'revoked_at'])
      .where('revoked_at', '>', since)
      .execute();
    return rows.map((r) => ({ id: r.id, revokedAt: r.revoked_at as number }));
  }
}
