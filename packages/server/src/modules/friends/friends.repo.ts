import type { AddPolicy, FriendPrivacy } from '@zhixin/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import { SizedQueryTemplates } from '../../platform/db/compiled-query.ts';
import { paddedKeyParts, type DB } from '../../platform/db/index.ts';

export type StoredStatus = 'pending' | 'accepted' | 'declined';

/** One friend request, decrypted. */
export interface RequestRecord {
  id: string;
  fromId: string;
  toId: string;
  message: string;
  remark: string;
  status: StoredStatus;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

export interface UpsertRequest {
  id: string;
  fromId: string;
  toId: string;
  message: string;
  /** Undefined: keep the remark of a pending request (empty for a new one). */
  remark: string | undefined;
  now: number;
  expiresAt: number;
}

export interface BlockRecord {
  blockedId: string;
  createdAt: number;
}

export const DEFAULT_PRIVACY: FriendPrivacy = {
  addPolicy: 'verify',
  findableByPhone: true,
  findableByAccount: true,
};

/** Most requests listed per direction. */
const LIST_LIMIT = 100;

// Seal contexts name the pair, so a message cannot be moved to another request.
const ctx = (column: string, fromId: string, toId: string) => `friend_requests.${column}:${fromId}:${toId}`;

/** friend_requests, user_blocks and friend_privacy: the only place with their SQL. */
export class FriendsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  private toRecord(row: Selectable<DB['friend_requests']>): RequestRecord {
    return {
      id: row.id,
      fromId: row.from_id,
      toId: row.to_id,
      message: this.keyring.open(row.message_enc, ctx('message', row.from_id, row.to_id)),
      remark: this.keyring.open(row.remark_enc, ctx('remark', row.from_id, row.to_id)),
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      expiresAt: row.expires_at,
    };
  }

  /**
   * Send (or send again): one statement on the (from, to) pair, so a second request merges into
   * the first and two devices sending at once cannot make two. A handled request starts over with
   * a fresh id; a pending one keeps its id and gets the latest message.
   */
  async upsertPending(r: UpsertRequest): Promise<RequestRecord> {
    const message = this.keyring.seal(r.message, ctx('message', r.fromId, r.toId));
    const remark = this.keyring.seal(r.remark ?? '', ctx('remark', r.fromId, r.toId));
    const existing = await this.between(r.fromId, r.toId);
    const stillPending = existing?.status === 'pending' && existing.expiresAt > r.now;
    await this.db
      .insertInto('friend_requests')
      .values({
        id: r.id,
        from_id: r.fromId,
        to_id: r.toId,
        message_enc: message,
        remark_enc: remark,
        status: 'pending',
        created_at: r.now,
        updated_at: r.now,
        expires_at: r.expiresAt,
      })
      .onConflict((oc) =>
        oc.columns(['from_id', 'to_id']).doUpdateSet({
          ...(stillPending ? {} : { id: r.id, created_at: r.now }),
          message_enc: message,
          ...(r.remark === undefined && stillPending ? {} : { remark_enc: remark }),
          status: 'pending',
          updated_at: r.now,
          expires_at: r.expiresAt,
        }),
      )
      .execute();
    const stored = await this.between(r.fromId, r.toId);
    if (!stored) throw new Error('friend request vanished after upsert');
    return stored;
  }

  async between(fromId: string, toId: string): Promise<RequestRecord | null> {
    const row = await this.db
      .selectFrom('friend_requests')
      .selectAll()
      .where('from_id', '=', fromId)
      .where('to_id', '=', toId)
      .executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  async byId(id: string): Promise<RequestRecord | null> {
    const row = await this.db
      .selectFrom('friend_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  /** Move a pending request on; false when it was no longer pending (someone else got there first). */
  async settle(id: string, status: 'accepted' | 'declined', now: number): Promise<boolean> {
    const res = await this.db
      .updateTable('friend_requests')
      .set({ status, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Decline whatever `fromId` has pending towards `toId` (used when `toId` blocks `fromId`). */
  async declinePending(fromId: string, toId: string, now: number): Promise<void> {
    await this.db
      .updateTable('friend_requests')
      .set({ status: 'declined', updated_at: now })
      .where('from_id', '=', fromId)
      .where('to_id', '=', toId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Requests to me and from me, newest first. */
  async list(userId: string): Promise<{ incoming: RequestRecord[]; outgoing: RequestRecord[] }> {
    const [incoming, outgoing] = await Promise.all(
      (['to_id', 'from_id'] as const).map((column) =>
        this.db
          .selectFrom('friend_requests')
          .selectAll()
          .where(column, '=', userId)
          .orderBy('updated_at', 'desc')
          .limit(LIST_LIMIT)
          .execute(),
      ),
    );
    return {
      incoming: (incoming ?? []).map((r) => this.toRecord(r)),
      outgoing: (outgoing ?? []).map((r) => this.toRecord(r)),
    };
  }

  async block(ownerId: string, blockedId: string, now: number): Promise<boolean> {
    const res = await this.db
      .insertInto('user_blocks')
      .values({ owner_id: ownerId, blocked_id: blockedId, created_at: now })
      .onConflict((oc) => oc.columns(['owner_id', 'blocked_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async unblock(ownerId: string, blockedId: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('user_blocks')
      .where('owner_id', '=', ownerId)
      .where('blocked_id', '=', blockedId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  // Loaded into the block-list cache before a user's first direct message: compiled once per
  // padded size of the owner list.
  private readonly blockedIdsQuery = new SizedQueryTemplates((p: { ownerIds: string[] }, list, size) =>
    this.db
      .selectFrom('user_blocks')
      .select(['owner_id', 'blocked_id'])
      .where('owner_id', 'in', list('ownerIds', size))
      .compile(),
  );

  /** Everyone each of `ownerIds` blocked, in the order of `ownerIds`: one query per 256 owners. */
  async blockedIdsOf(ownerIds: readonly string[]): Promise<string[][]> {
    const byOwner = new Map<string, string[]>();
    for (const part of paddedKeyParts(ownerIds)) {
      const { rows } = await this.db.executeQuery(
        this.blockedIdsQuery.of(part.length).bind({ ownerIds: part }),
      );
      for (const r of rows) {
        const ids = byOwner.get(r.owner_id);
        if (ids) ids.push(r.blocked_id);
        else byOwner.set(r.owner_id, [r.blocked_id]);
      }
    }
    return ownerIds.map((id) => byOwner.get(id) ?? []);
  }

  /** Users `userId` blocked and users who blocked `userId`. */
  async blockedEitherWay(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('user_blocks')
      .select(['owner_id', 'blocked_id'])
      .where((eb) => eb.or([eb('owner_id', '=', userId), eb('blocked_id', '=', userId)]))
      .execute();
    return [...new Set(rows.map((r) => (r.owner_id === userId ? r.blocked_id : r.owner_id)))];
  }

  async blocked(ownerId: string): Promise<BlockRecord[]> {
    const rows = await this.db
      .selectFrom('user_blocks')
      .select(['blocked_id', 'created_at'])
      .where('owner_id', '=', ownerId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({ blockedId: r.blocked_id, createdAt: r.created_at }));
  }

  async privacy(userId: string): Promise<FriendPrivacy> {
    const row = await this.db
      .selectFrom('friend_privacy')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return { ...DEFAULT_PRIVACY };
    return {
      addPolicy: row.add_policy,
      findableByPhone: row.findable_by_phone === 1,
      findableByAccount: row.findable_by_account === 1,
    };
  }

  async setPrivacy(userId: string, p: FriendPrivacy, now: number): Promise<void> {
    const values = {
      add_policy: p.addPolicy satisfies AddPolicy,
      findable_by_phone: p.findableByPhone ? 1 : 0,
      findable_by_account: p.findableByAccount ? 1 : 0,
      updated_at: now,
    };
    await this.db
      .insertInto('friend_privacy')
      .values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }
}
