import type { ImportLine, ImportReport } from '@zhixin/protocol';
import { isAppError } from '../../errors.ts';
import type { AuthService } from '../auth/index.ts';
import { normalizePhone, type UsersService } from '../users/index.ts';
import type { DepartmentRecord, MembershipRecord } from './departments.repo.ts';
import type { DirectoryService } from './directory.service.ts';

/** One person from a CSV line or an LDAP entry, before validation. */
export interface ImportEntry {
  line: number;
  phone: string;
  nickname: string;
  /** '/'-separated names from the top down. */
  department: string;
  title: string;
  /** The CSV line had more than four columns. */
  extraCells?: boolean;
}

export interface ImporterDeps {
  directory: DirectoryService;
  users: Pick<UsersService, 'accountByPhone'>;
  auth: Pick<AuthService, 'provisionUser'>;
}

const MAX_NICKNAME = 32;
const MAX_NAME = 64;
const MAX_TITLE = 64;
/** Department ids a dry run makes up for departments it would create. */
const PLANNED = 'planned:';

interface Person {
  /** null while only planned (dry run). */
  userId: string | null;
  memberships: MembershipRecord[];
  existedBefore: boolean;
}

type Checked = { ok: true; phone: string; names: string[] } | { ok: false; reason: string };

function check(e: ImportEntry): Checked {
  if (e.extraCells) return { ok: false, reason: 'more than 4 columns' };
  let phone: string;
  try {
    phone = normalizePhone(e.phone);
  } catch {
    return { ok: false, reason: 'invalid phone number' };
  }
  if (!e.nickname) return { ok: false, reason: 'empty nickname' };
  if ([...e.nickname].length > MAX_NICKNAME) return { ok: false, reason: 'nickname longer than 32' };
  if ([...e.title].length > MAX_TITLE) return { ok: false, reason: 'title longer than 64' };
  const names = e.department.split('/').map((s) => s.trim());
  if (!e.department || names.some((n) => n === '')) return { ok: false, reason: 'invalid department path' };
  if (names.some((n) => [...n].length > MAX_NAME))
    return { ok: false, reason: 'department name longer than 64' };
  return { ok: true, phone, names };
}

/**
 * Applies (or, in a dry run, plans) directory entries line by line: missing departments are
 * created, missing users are created without a password, and each user gets the line's department
 * and title. Keyed by phone, so a second run changes nothing. A refused line changes nothing.
 */
export async function runImport(
  d: ImporterDeps,
  entries: readonly ImportEntry[],
  dryRun: boolean,
): Promise<ImportReport> {
  const byKey = new Map<string, string>();
  const key = (parentId: string | null, name: string) => `${parentId ?? ''}\u0000${name}`;
  const existing: DepartmentRecord[] = await d.directory.departments();
  for (const dep of existing) byKey.set(key(dep.parentId, dep.name), dep.id);
  const people = new Map<string, Person>();
  const departmentsCreated: string[] = [];
  const lines: ImportLine[] = [];
  let planned = 0;

  async function person(phone: string): Promise<Person> {
    const known = people.get(phone);
    if (known) return known;
    const account = await d.users.accountByPhone(phone);
    const p: Person = {
      userId: account?.id ?? null,
      memberships: account ? await d.directory.memberships([account.id]) : [],
      existedBefore: account !== null,
    };
    people.set(phone, p);
    return p;
  }

  /** The id of the department at this path, creating (or planning) what is missing. */
  async function resolve(path: string[]): Promise<string> {
    let parentId: string | null = null;
    for (let i = 0; i < path.length; i++) {
      const name = path[i] as string;
      let id = byKey.get(key(parentId, name));
      if (id === undefined) {
        if (dryRun) id = `${PLANNED}${++planned}`;
        else id = (await d.directory.createDepartment(parentId, name)).id;
        byKey.set(key(parentId, name), id);
        departmentsCreated.push(path.slice(0, i + 1).join('/'));
      }
      parentId = id;
    }
    return parentId as string;
  }

  for (const e of entries) {
    const base = {
      line: e.line,
      phone: e.phone,
      nickname: e.nickname,
      department: e.department,
      title: e.title,
    };
    const c = check(e);
    if (!c.ok) {
      lines.push({ ...base, action: 'refused', reason: c.reason });
      continue;
    }
    const p = await person(c.phone);
    if (p.userId === null && !dryRun) {
      try {
        p.userId = (await d.auth.provisionUser({ phone: c.phone, nickname: e.nickname })).userId;
      } catch (err) {
        if (!isAppError(err)) throw err;
        lines.push({ ...base, action: 'refused', reason: err.code });
        continue;
      }
    }
    // Departments only after the user exists: a refused user leaves no department behind.
    const departmentId = await resolve(c.names);
    const title = e.title.trim();
    const current = p.memberships.find((m) => m.departmentId === departmentId);
    const isNewUser = !p.existedBefore && p.memberships.length === 0;
    let changed = false;
    if (!current) {
      p.memberships.push({
        departmentId,
        userId: p.userId ?? '',
        title,
        primary: !p.memberships.some((m) => m.primary),
      });
      changed = true;
    } else if (current.title !== title) {
      current.title = title;
      changed = true;
    }
    if (changed && !dryRun && p.userId !== null) {
      await d.directory.replaceMemberships(
        p.userId,
        p.memberships.map((m) => ({ ...m, userId: p.userId as string })),
      );
    }
    const action = isNewUser ? 'create' : changed ? 'update' : 'unchanged';
    lines.push({ ...base, phone: c.phone, action });
  }

  const count = (a: ImportLine['action']) => lines.filter((l) => l.action === a).length;
  return {
    dryRun,
    lines,
    departmentsCreated,
    created: count('create'),
    updated: count('update'),
    unchanged: count('unchanged'),
    refused: count('refused'),
  };
}
