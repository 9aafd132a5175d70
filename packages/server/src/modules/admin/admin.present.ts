import type { AdminUser, UserDepartments } from '@zhixin/protocol';
import { maskPhone } from '../auth/index.ts';
import type { DirectoryService } from '../directory/index.ts';
import type { UserRecord } from '../users/index.ts';

/** Presents user records as the console shows them: masked phone, primary department, departure. */
export class UserPresenter {
  constructor(private readonly directory: DirectoryService) {}

  async present(records: readonly UserRecord[]): Promise<AdminUser[]> {
    const ids = records.map((r) => r.id);
    const [departments, memberships, left] = await Promise.all([
      this.directory.departments(),
      ids.length ? this.directory.memberships(ids) : Promise.resolve([]),
      this.directory.departures.leftAt(ids),
    ]);
    const names = new Map(departments.map((d) => [d.id, d.name]));
    const primary = new Map<string, string>();
    for (const m of memberships) {
      if (m.primary || !primary.has(m.userId)) primary.set(m.userId, names.get(m.departmentId) ?? '');
    }
    return records.map((r) => ({
      id: r.id,
      nickname: r.nickname,
      account: r.account,
      phoneMasked: r.phone.startsWith('+') ? maskPhone(r.phone) : '',
      role: r.role,
      status: r.status,
      createdAt: r.createdAt,
      lastActiveAt: r.lastActiveAt,
      leftAt: left.get(r.id) ?? null,
      department: primary.get(r.id) || null,
    }));
  }

  /** A user's departments with their paths, whatever the user's status (the directory's own view shows active users only). */
  async departmentsOf(userId: string): Promise<UserDepartments> {
    const [all, memberships] = await Promise.all([
      this.directory.departments(),
      this.directory.memberships([userId]),
    ]);
    const byId = new Map(all.map((d) => [d.id, d]));
    return {
      userId,
      departments: memberships.flatMap((m) => {
        const dep = byId.get(m.departmentId);
        if (!dep) return [];
        const path = dep.path
          .split('/')
          .filter(Boolean)
          .map((id) => byId.get(id)?.name ?? '');
        return [{ departmentId: m.departmentId, path, title: m.title, primary: m.primary }];
      }),
    };
  }

  async one(record: UserRecord): Promise<AdminUser> {
    const [u] = await this.present([record]);
    if (!u) throw new Error('presenting one user gave none');
    return u;
  }
}
