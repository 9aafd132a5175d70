import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

/** A group as the console lists it. */
export interface StaffGroupRecord {
  conversationId: string;
  title: string;
  ownerId: string | null;
  memberCount: number;
  createdAt: number;
  lastActiveAt: number;
  temporary: boolean;
  dissolvedAt: number | null;
}

export interface StaffGroupFilter {
  id?: string;
  /** Part of the title (case-insensitive). */
  text?: string;
  status?: 'live' | 'dissolved' | 'all';
  temporary?: boolean;
}

/** SQL of the console's group listing (operators see every group). */
export class GroupsStaffRepo {
  constructor(private readonly db: Kysely<DB>) {}

  private filtered(f: StaffGroupFilter) {
    let q = this.db
      .selectFrom('conversations as c')
      .leftJoin('group_settings as g', 'g.conversation_id', 'c.id')
      .where('c.kind', '=', 'group');
    if (f.id !== undefined) q = q.where('c.id', '=', f.id);
    if (f.text) {
      const pattern = `%${f.text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      q = q.where(sql<boolean>`lower(c.title) like ${pattern} escape '\\'`);
    }
    if (f.status === 'live') q = q.where('g.dissolved_at', 'is', null);
    if (f.status === 'dissolved') q = q.where('g.dissolved_at', 'is not', null);
    if (f.temporary !== undefined) {
      q = f.temporary
        ? q.where('g.temporary', '=', 1)
        : q.where((eb) => eb.or([eb('g.temporary', '=', 0), eb('g.temporary', 'is', null)]));
    }
    return q;
  }

  async count(f: StaffGroupFilter): Promise<number> {
    const row = await this.filtered(f)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Newest first. */
  async page(f: StaffGroupFilter, offset: number, limit: number): Promise<StaffGroupRecord[]> {
    const rows = await this.filtered(f)
      .select([
        'c.id',
        'c.title',
        'c.owner_id',
        'c.member_count',
        'c.created_at',
        'c.updated_at',
        'g.temporary',
        'g.dissolved_at',
      ])
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => ({
      conversationId: r.id,
      title: r.title,
      ownerId: r.owner_id,
      memberCount: Number(r.member_count),
      createdAt: Number(r.created_at),
      lastActiveAt: Number(r.updated_at),
      temporary: Number(r.temporary ?? 0) === 1,
      dissolvedAt: r.dissolved_at === null ? null : Number(r.dissolved_at),
    }));
  }
}

/** The console's view of groups: every group, its members, dissolving as an operator. */
export interface GroupsStaff {
  list(
    f: StaffGroupFilter,
    offset: number,
    limit: number,
  ): Promise<{ groups: StaffGroupRecord[]; total: number }>;
  /** A group (live or dissolved), or null. */
  get(conversationId: string): Promise<StaffGroupRecord | null>;
  members(
    conversationId: string,
  ): Promise<Array<{ userId: string; role: 'owner' | 'admin' | 'member'; joinedAt: number }>>;
  /** NOT_FOUND for no such group; GROUP_DISSOLVED when it already is. Members get the system message. */
  dissolve(actorId: string, conversationId: string): Promise<void>;
}
