import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../platform/db/index.ts';

export interface DepartmentRecord {
  id: string;
  parentId: string | null;
  name: string;
  sortOrder: number;
  /** '/<rootId>/.../<id>/'. */
  path: string;
}

export interface MembershipRecord {
  departmentId: string;
  userId: string;
  title: string;
  primary: boolean;
}

export interface DepartmentCounts {
  /** Direct members by department id. */
  direct: Map<string, number>;
  /** Distinct members of the subtree by department id. */
  total: Map<string, number>;
}

function toDepartment(row: Selectable<DB['departments']>): DepartmentRecord {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    sortOrder: Number(row.sort_order),
    path: row.path,
  };
}

function toMembership(row: Selectable<DB['department_members']>): MembershipRecord {
  return {
    departmentId: row.department_id,
    userId: row.user_id,
    title: row.title,
    primary: Number(row.is_primary) === 1,
  };
}

/** Paths hold only generated ULIDs (0-9, A-Z) and '/', so nothing in them is special to LIKE. */
function subtreePattern(path: string): string {
  return `${path}%`;
}

/** Departments and memberships: the only place with the directory's SQL. */
export class DepartmentsRepo {
  constructor(private readonly db: Kysely<DB>) {}

  async all(): Promise<DepartmentRecord[]> {
    const rows = await this.db
      .selectFrom('departments')
      .selectAll()
      .orderBy('sort_order')
      .orderBy('name')
      .execute();
    return rows.map(toDepartment);
  }

  async get(id: string): Promise<DepartmentRecord | null> {
    const row = await this.db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDepartment(row) : null;
  }

  async sibling(parentId: string | null, name: string): Promise<DepartmentRecord | null> {
    const row = await this.db
      .selectFrom('departments')
      .selectAll()
      .where('parent_key', '=', parentId ?? '')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toDepartment(row) : null;
  }

  async insert(d: DepartmentRecord, now: number): Promise<void> {
    await this.db
      .insertInto('departments')
      .values({
        id: d.id,
        parent_id: d.parentId,
        parent_key: d.parentId ?? '',
        name: d.name,
        sort_order: d.sortOrder,
        path: d.path,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  async update(id: string, patch: { name?: string; sortOrder?: number }, now: number): Promise<void> {
    await this.db
      .updateTable('departments')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.sortOrder !== undefined ? { sort_order: patch.sortOrder } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Re-parent a department and rewrite the paths of its whole subtree, in one transaction. */
  async move(d: DepartmentRecord, parentId: string | null, newPath: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('departments')
        .set({ parent_id: parentId, parent_key: parentId ?? '', updated_at: now })
        .where('id', '=', d.id)
        .execute();
      await tx
        .updateTable('departments')
        .set({
          path: sql<string>`${newPath} || substr(path, ${d.path.length + 1})`,
        })
        .where('path', 'like', subtreePattern(d.path))
        .execute();
    });
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('departments').where('id', '=', id).execute();
  }

  async hasChildren(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('departments')
      .select('id')
      .where('parent_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async hasMembers(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('department_members')
      .select('user_id')
      .where('department_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Member counts of every department: direct, and distinct users of each subtree. */
  async counts(departments: readonly DepartmentRecord[]): Promise<DepartmentCounts> {
    const rows = await this.db
      .selectFrom('department_members')
      .innerJoin('departments', 'departments.id', 'department_members.department_id')
      .select(['department_members.user_id as userId', 'departments.path as path'])
      .execute();
    const direct = new Map<string, number>();
    const users = new Map<string, Set<string>>();
    for (const r of rows) {
      const ids = r.path.split('/').filter(Boolean);
      const own = ids[ids.length - 1];
      if (own) direct.set(own, (direct.get(own) ?? 0) + 1);
      for (const id of ids) {
        let set = users.get(id);
        if (!set) users.set(id, (set = new Set()));
        set.add(r.userId);
      }
    }
    const total = new Map(departments.map((d) => [d.id, users.get(d.id)?.size ?? 0]));
    return { direct, total };
  }

  /**
   * Up to `limit` distinct user ids with a membership in the department (or its subtree), in id
   * order after `after`.
   */
  async memberIds(dep: DepartmentRecord, recursive: boolean, after: string | null, limit: number) {
    let q = this.db
      .selectFrom('department_members')
      .innerJoin('departments', 'departments.id', 'department_members.department_id')
      .select('department_members.user_id as userId')
      .distinct();
    q = recursive
      ? q.where('departments.path', 'like', subtreePattern(dep.path))
      : q.where('department_members.department_id', '=', dep.id);
    if (after !== null) q = q.where('department_members.user_id', '>', after);
    const rows = await q.orderBy('department_members.user_id').limit(limit).execute();
    return rows.map((r) => r.userId);
  }

  /** Memberships of these users, primary first. */
  async membershipsOf(userIds: readonly string[]): Promise<MembershipRecord[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('department_members')
      .selectAll()
      .where('user_id', 'in', userIds)
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .execute();
    return rows.map(toMembership);
  }

  /** Replace every membership of a user, in one transaction. */
  async replaceMemberships(userId: string, items: readonly MembershipRecord[], now: number): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('department_members').where('user_id', '=', userId).execute();
      if (items.length === 0) return;
      await tx
        .insertInto('department_members')
        .values(
          items.map((m, i) => ({
            department_id: m.departmentId,
            user_id: userId,
            title: m.title,
            is_primary: m.primary ? 1 : 0,
            // Keeps the given order when listed.
            created_at: now + i,
          })),
        )
        .execute();
    });
  }

  async savedSource(kind: string): Promise<{ config: string; secretEnc: string | null } | null> {
    const row = await this.db
      .selectFrom('directory_sources')
      .selectAll()
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? { config: row.config, secretEnc: row.secret_enc } : null;
  }

  async saveSource(kind: string, config: string, secretEnc: string | null, now: number): Promise<void> {
    await this.db
      .insertInto('directory_sources')
      .values({ kind, config, secret_enc: secretEnc, updated_at: now })
      .onConflict((oc) => oc.column('kind').doUpdateSet({ config, secret_enc: secretEnc, updated_at: now }))
      .execute();
  }
}
