import type {
  Department,
  DepartmentAssignment,
  DirectoryMember,
  DirectoryMemberPage,
  DirectoryMembersQuery,
  PublicProfile,
  UserDepartments,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import type { UsersService } from '../users/index.ts';
import type { DepartmentRecord, DepartmentsRepo, MembershipRecord } from './departments.repo.ts';

const DEFAULT_PAGE = 50;
/** Users examined per step while filling a page (bounded IN lists on both databases). */
const SCAN_CHUNK = 200;

export interface DirectoryService {
  tree(): Promise<Department[]>;
  members(query: DirectoryMembersQuery): Promise<DirectoryMemberPage>;
  userDepartments(userId: string): Promise<UserDepartments>;
  /** NOT_FOUND for an unknown parent; CONFLICT when a sibling has the name. */
  createDepartment(parentId: string | null, name: string, sortOrder?: number): Promise<Department>;
  updateDepartment(id: string, patch: { name?: string; sortOrder?: number }): Promise<Department>;
  /** DEPARTMENT_CYCLE when the new parent is the department itself or below it. */
  moveDepartment(id: string, parentId: string | null): Promise<Department>;
  /** DEPARTMENT_NOT_EMPTY when it has members or sub-departments. */
  deleteDepartment(id: string): Promise<void>;
  setUserDepartments(userId: string, items: readonly DepartmentAssignment[]): Promise<UserDepartments>;
  /** Departments by id, for the importers. */
  departments(): Promise<DepartmentRecord[]>;
  memberships(userIds: readonly string[]): Promise<MembershipRecord[]>;
  replaceMemberships(userId: string, items: readonly MembershipRecord[]): Promise<void>;
}

export interface DirectoryServiceDeps {
  repo: DepartmentsRepo;
  users: Pick<UsersService, 'existing' | 'profiles'>;
  now?: () => number;
}

function notFound(): AppError {
  return AppError.notFound('department');
}

function nameTaken(name: string): AppError {
  return new AppError('CONFLICT', { what: 'department', name }, 'a sibling department has this name');
}

interface Cursor {
  after: string;
}

function decodeCursor(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (typeof parsed.after === 'string' && parsed.after.length > 0) return parsed.after;
  } catch {
    // Falls through to the typed error below.
  }
  throw AppError.validation([{ path: '/cursor', message: 'malformed cursor' }]);
}

function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after } satisfies Cursor)).toString('base64url');
}

function matches(profile: PublicProfile, title: string, q: string): boolean {
  const needle = q.toLowerCase();
  return profile.nickname.toLowerCase().includes(needle) || title.toLowerCase().includes(needle);
}

/** Departments as a tree (materialized paths) and users' memberships in them. */
export function createDirectoryService(d: DirectoryServiceDeps): DirectoryService {
  const now = d.now ?? Date.now;

  async function mustGet(id: string): Promise<DepartmentRecord> {
    const dep = await d.repo.get(id);
    if (!dep) throw notFound();
    return dep;
  }

  async function present(dep: DepartmentRecord): Promise<Department> {
    const counts = await d.repo.counts([dep]);
    return {
      id: dep.id,
      parentId: dep.parentId,
      name: dep.name,
      sortOrder: dep.sortOrder,
      memberCount: counts.direct.get(dep.id) ?? 0,
      totalCount: counts.total.get(dep.id) ?? 0,
    };
  }

  async function presentUser(userId: string): Promise<UserDepartments> {
    const all = new Map((await d.repo.all()).map((dep) => [dep.id, dep]));
    const rows = await d.repo.membershipsOf([userId]);
    return {
      userId,
      departments: rows.flatMap((m) => {
        const dep = all.get(m.departmentId);
        if (!dep) return [];
        const path = dep.path
          .split('/')
          .filter(Boolean)
          .map((id) => all.get(id)?.name ?? '');
        return [{ departmentId: m.departmentId, path, title: m.title, primary: m.primary }];
      }),
    };
  }

  return {
    async tree() {
      const all = await d.repo.all();
      const counts = await d.repo.counts(all);
      return all.map((dep) => ({
        id: dep.id,
        parentId: dep.parentId,
        name: dep.name,
        sortOrder: dep.sortOrder,
        memberCount: counts.direct.get(dep.id) ?? 0,
        totalCount: counts.total.get(dep.id) ?? 0,
      }));
    },

    async members(query) {
      const dep = await mustGet(query.departmentId);
      const limit = query.limit ?? DEFAULT_PAGE;
      const recursive = query.recursive ?? false;
      const q = query.q?.trim() ?? '';
      let after = decodeCursor(query.cursor);
      const out: DirectoryMember[] = [];
      // Nicknames are sealed, so a search filters decrypted profiles chunk by chunk in id order.
      for (;;) {
        const ids = await d.repo.memberIds(dep, recursive, after, SCAN_CHUNK);
        if (ids.length === 0) return { members: out, nextCursor: null };
        const active = await d.users.existing(ids);
        const profiles = new Map((await d.users.profiles([...active])).map((p) => [p.id, p]));
        const inSubtree = new Map<string, MembershipRecord>();
        const allDeps = recursive ? new Map((await d.repo.all()).map((x) => [x.id, x])) : null;
        for (const m of await d.repo.membershipsOf(ids)) {
          const inside = allDeps
            ? (allDeps.get(m.departmentId)?.path.startsWith(dep.path) ?? false)
            : m.departmentId === dep.id;
          if (inside && !inSubtree.has(m.userId)) inSubtree.set(m.userId, m);
        }
        for (const id of ids) {
          const profile = profiles.get(id);
          const m = inSubtree.get(id);
          after = id;
          if (!profile || !m || (q && !matches(profile, m.title, q))) continue;
          out.push({ profile, departmentId: m.departmentId, title: m.title, primary: m.primary });
          if (out.length === limit) return { members: out, nextCursor: encodeCursor(id) };
        }
        if (ids.length < SCAN_CHUNK) return { members: out, nextCursor: null };
      }
    },

    async userDepartments(userId) {
      if (!(await d.users.existing([userId])).has(userId)) throw AppError.notFound('user');
      return presentUser(userId);
    },

    async createDepartment(parentId, name, sortOrder) {
      const parent = parentId === null ? null : await mustGet(parentId);
      const clean = name.trim();
      if (!clean) throw AppError.validation([{ path: '/name', message: 'must not be blank' }]);
      if (await d.repo.sibling(parentId, clean)) throw nameTaken(clean);
      const id = newId();
      const dep: DepartmentRecord = {
        id,
        parentId,
        name: clean,
        sortOrder: sortOrder ?? 0,
        path: `${parent?.path ?? '/'}${id}/`,
      };
      await d.repo.insert(dep, now());
      return present(dep);
    },

    async updateDepartment(id, patch) {
      const dep = await mustGet(id);
      const name = patch.name?.trim();
      if (name === '') throw AppError.validation([{ path: '/name', message: 'must not be blank' }]);
      if (name !== undefined && name !== dep.name) {
        if (await d.repo.sibling(dep.parentId, name)) throw nameTaken(name);
      }
      await d.repo.update(id, { name, sortOrder: patch.sortOrder }, now());
      return present(await mustGet(id));
    },

    async moveDepartment(id, parentId) {
      const dep = await mustGet(id);
      const parent = parentId === null ? null : await mustGet(parentId);
      if (parent && parent.path.startsWith(dep.path)) {
        throw new AppError('DEPARTMENT_CYCLE', { id, parentId });
      }
      if (dep.parentId === parentId) return present(dep);
      if (await d.repo.sibling(parentId, dep.name)) throw nameTaken(dep.name);
      await d.repo.move(dep, parentId, `${parent?.path ?? '/'}${id}/`, now());
      return present(await mustGet(id));
    },

    async deleteDepartment(id) {
      await mustGet(id);
      const children = await d.repo.hasChildren(id);
      const members = await d.repo.hasMembers(id);
      if (children || members) throw new AppError('DEPARTMENT_NOT_EMPTY', { children, members });
      await d.repo.remove(id);
    },

    async setUserDepartments(userId, items) {
      if (!(await d.users.existing([userId])).has(userId)) throw AppError.notFound('user');
      const ids = items.map((i) => i.departmentId);
      if (new Set(ids).size !== ids.length) {
        throw AppError.validation([{ path: '/departments', message: 'a department is listed twice' }]);
      }
      if (items.filter((i) => i.primary).length > 1) {
        throw AppError.validation([{ path: '/departments', message: 'at most one primary department' }]);
      }
      const known = new Set((await d.repo.all()).map((dep) => dep.id));
      if (ids.some((id) => !known.has(id))) throw notFound();
      const hasPrimary = items.some((i) => i.primary);
      await d.repo.replaceMemberships(
        userId,
        items.map((i, n) => ({
          departmentId: i.departmentId,
          userId,
          title: i.title.trim(),
          primary: i.primary || (!hasPrimary && n === 0),
        })),
        now(),
      );
      return presentUser(userId);
    },

    departments: () => d.repo.all(),
    memberships: (userIds) => d.repo.membershipsOf(userIds),
    replaceMemberships: (userId, items) => d.repo.replaceMemberships(userId, items, now()),
  };
}
