import type { ExportRange, UserBehaviourRecord } from '@zhixin/protocol';
import type { ContactsService } from '../contacts/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { DirectoryService } from '../directory/index.ts';
import type { UserRecord, UsersService } from '../users/index.ts';

/** Users read per database round trip: bounds memory whatever the organisation's size. */
export const PAGE_SIZE = 500;

/** One user's activity in a range, as the statistics module reports it. */
export interface UserActivity {
  userId: string;
  activeDays: number;
  messagesSent: number;
  lastActiveAt: number | null;
}

/** The statistics module's view of who was active (A1's `StatsService.activeUsers`). */
export interface ActivitySource {
  activeUsers(range: { from: number; to: number }): AsyncIterable<UserActivity>;
}

export interface RowSourceDeps {
  users: Pick<UsersService, 'admin' | 'officialIds'>;
  directory: Pick<DirectoryService, 'departments' | 'memberships'>;
  contacts: Pick<ContactsService, 'contactIdsOf'>;
  conversations: Pick<ConversationsService, 'groupIdsOf'>;
  activity: ActivitySource | null;
}

/** A row of the user lists: the record plus its primary department's name. */
export interface UserRow {
  user: UserRecord;
  departmentId: string | null;
  department: string | null;
  activity: UserActivity | null;
}

/** Departments by id, read once per export (thousands at most), and each user's primary one. */
async function departmentLookup(d: RowSourceDeps) {
  const names = new Map((await d.directory.departments()).map((dep) => [dep.id, dep.name]));
  return async (ids: readonly string[]): Promise<Map<string, { id: string; name: string }>> => {
    const out = new Map<string, { id: string; name: string }>();
    // Primary memberships come first, so the first one seen per user is the one shown.
    for (const m of await d.directory.memberships(ids)) {
      if (!out.has(m.userId))
        out.set(m.userId, { id: m.departmentId, name: names.get(m.departmentId) ?? '' });
    }
    return out;
  };
}

function isOfficial(d: RowSourceDeps): (id: string) => boolean {
  const official = new Set(d.users.officialIds());
  return (id) => official.has(id);
}

/** Every registered user (official accounts left out), a page at a time in id order. */
export async function* registeredUsers(d: RowSourceDeps): AsyncGenerator<UserRow[]> {
  const departmentsOf = await departmentLookup(d);
  const official = isOfficial(d);
  let after: string | null = null;
  for (;;) {
    const page = await d.users.admin.scan(after, PAGE_SIZE);
    if (!page.length) return;
    after = page[page.length - 1]!.id;
    const users = page.filter((u) => !official(u.id));
    const deps = await departmentsOf(users.map((u) => u.id));
    yield users.map((user) => {
      const dep = deps.get(user.id);
      return { user, departmentId: dep?.id ?? null, department: dep?.name ?? null, activity: null };
    });
  }
}

function requireActivity(d: RowSourceDeps): ActivitySource {
  if (!d.activity) throw new Error('the statistics module is not wired into the exports module');
  return d.activity;
}

/** Users active in the range with their activity, a page at a time as the statistics module yields them. */
export async function* activeUsers(d: RowSourceDeps, range: ExportRange): AsyncGenerator<UserRow[]> {
  const departmentsOf = await departmentLookup(d);
  const official = isOfficial(d);
  let batch: UserActivity[] = [];
  async function flush(): Promise<UserRow[]> {
    const activity = new Map(batch.map((a) => [a.userId, a]));
    batch = [];
    const records = (await d.users.admin.records([...activity.keys()])).filter((u) => !official(u.id));
    const deps = await departmentsOf(records.map((u) => u.id));
    return records.map((user) => {
      const dep = deps.get(user.id);
      return {
        user,
        departmentId: dep?.id ?? null,
        department: dep?.name ?? null,
        activity: activity.get(user.id) ?? null,
      };
    });
  }
  for await (const a of requireActivity(d).activeUsers(range)) {
    batch.push(a);
    if (batch.length >= PAGE_SIZE) yield await flush();
  }
  if (batch.length) yield await flush();
}

/**
 * Attributes and behaviour of every user for recommendation and profiling. The range's activity is
 * gathered first into a compact map (two numbers per active user); users are then paged as above.
 */
export async function* behaviourRecords(
  d: RowSourceDeps,
  range: ExportRange,
): AsyncGenerator<UserBehaviourRecord[]> {
  const activity = new Map<string, UserActivity>();
  for await (const a of requireActivity(d).activeUsers(range)) activity.set(a.userId, a);
  const official = isOfficial(d);
  for await (const rows of registeredUsers(d)) {
    const ids = rows.map((r) => r.user.id);
    const [contacts, groups] = await Promise.all([
      d.contacts.contactIdsOf(ids),
      d.conversations.groupIdsOf(ids),
    ]);
    yield rows.map(({ user, departmentId, department }) => {
      const a = activity.get(user.id);
      return {
        userId: user.id,
        department,
        departmentId,
        friends: (contacts.get(user.id) ?? []).filter((id) => !official(id)).length,
        groups: groups.get(user.id)?.length ?? 0,
        messagesSent: a?.messagesSent ?? 0,
        activeDays: a?.activeDays ?? 0,
        lastActiveAt: a?.lastActiveAt ?? user.lastActiveAt,
        createdAt: user.createdAt,
      };
    });
  }
}
