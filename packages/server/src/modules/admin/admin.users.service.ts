import type {
  AdminResetPasswordResult,
  AdminUser,
  AdminUserDetail,
  AdminUserPage,
  AdminUsersQuery,
  DepartmentAssignment,
  Role,
  UserDepartments,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { AuthService } from '../auth/index.ts';
import type { DirectoryService } from '../directory/index.ts';
import type { UserRecord, UsersService } from '../users/index.ts';
import type { UserPresenter } from './admin.present.ts';

const SCAN_CHUNK = 1000;

/** Who acts: the staff member's id and role (the operation's access already admitted the role). */
export interface StaffActor {
  userId: string;
  role: Role;
}

export interface AdminUsersDeps {
  users: UsersService;
  auth: AuthService;
  directory: DirectoryService;
  present: UserPresenter;
}

/** User administration for operators (roles: administrators only, checked by the operation's access). */
export class AdminUsers {
  constructor(private readonly d: AdminUsersDeps) {}

  private async record(userId: string): Promise<UserRecord> {
    const [u] = await this.d.users.admin.records([userId]);
    if (!u) throw AppError.notFound('user');
    return u;
  }

  /**
   * Staff accounts (operators, auditors, administrators) are administered by administrators only:
   * an operator who could reset an administrator's password could sign in as one, and one who
   * could disable or sign out the administrators could lock them out.
   */
  private requireMayManage(actor: StaffActor, target: UserRecord): void {
    if (target.role !== 'user' && actor.role !== 'admin')
      throw AppError.forbidden('only administrators manage staff accounts');
  }

  private async presentOne(userId: string): Promise<AdminUser> {
    return this.d.present.one(await this.record(userId));
  }

  /** Users in a department or any of its sub-departments (every status). */
  private async inDepartment(departmentId: string): Promise<Set<string>> {
    const all = await this.d.directory.departments();
    const top = all.find((x) => x.id === departmentId);
    if (!top) throw AppError.notFound('department');
    const subtree = new Set(all.filter((x) => x.path.startsWith(top.path)).map((x) => x.id));
    const out = new Set<string>();
    for (let after: string | null = null; ;) {
      const chunk = await this.d.users.admin.scan(after, SCAN_CHUNK);
      if (chunk.length === 0) break;
      for (const m of await this.d.directory.memberships(chunk.map((u) => u.id))) {
        if (subtree.has(m.departmentId)) out.add(m.userId);
      }
      after = chunk[chunk.length - 1]!.id;
      if (chunk.length < SCAN_CHUNK) break;
    }
    return out;
  }

  async list(q: AdminUsersQuery): Promise<AdminUserPage> {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const within = q.departmentId === undefined ? undefined : await this.inDepartment(q.departmentId);
    const { records, total } = await this.d.users.admin.search({
      ...(q.q !== undefined ? { text: q.q } : {}),
      ...(q.role !== undefined ? { role: q.role } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(within ? { within } : {}),
      order: { sort: q.sort ?? 'createdAt', order: q.order ?? 'desc' },
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    return { users: await this.d.present.present(records), total, page, pageSize };
  }

  async detail(userId: string): Promise<AdminUserDetail> {
    const record = await this.record(userId);
    const [user, departments, devices] = await Promise.all([
      this.d.present.one(record),
      this.d.present.departmentsOf(userId),
      this.d.auth.devicesOf(userId),
    ]);
    return {
      user,
      signature: record.signature,
      departments,
      devices: devices.map((x) => ({ ...x, current: false })),
    };
  }

  /** Disabling ends every session at once (gateways close the sockets); enabling takes a seat. */
  async setDisabled(actor: StaffActor, userId: string, disabled: boolean): Promise<AdminUser> {
    if (disabled && userId === actor.userId) throw AppError.forbidden('you cannot disable yourself');
    const u = await this.record(userId);
    this.requireMayManage(actor, u);
    if (
      disabled &&
      u.role === 'admin' &&
      u.status === 'active' &&
      (await this.d.users.admin.countAdmins()) <= 1
    ) {
      throw new AppError('LAST_ADMIN');
    }
    if (this.d.users.officialIds().includes(userId))
      throw AppError.forbidden('official accounts are managed by the server');
    await this.d.auth.setUserDisabled(userId, disabled);
    return this.presentOne(userId);
  }

  async resetPassword(
    actor: StaffActor,
    userId: string,
    password?: string,
  ): Promise<AdminResetPasswordResult> {
    this.requireMayManage(actor, await this.record(userId));
    if (this.d.users.officialIds().includes(userId))
      throw AppError.forbidden('official accounts have no password');
    return this.d.auth.adminResetPassword(userId, password);
  }

  async logout(actor: StaffActor, userId: string, sessionId?: string): Promise<{ revoked: number }> {
    this.requireMayManage(actor, await this.record(userId));
    const revoked =
      sessionId === undefined
        ? await this.d.auth.revokeUserSessions(userId, 'revoked_by_staff')
        : await this.d.auth.revokeUserSession(userId, sessionId);
    return { revoked };
  }

  async setDepartments(userId: string, items: readonly DepartmentAssignment[]): Promise<UserDepartments> {
    await this.record(userId);
    return this.d.directory.setUserDepartments(userId, items);
  }

  /** Not one's own role; never the last administrator. The user's sessions end so the new role applies at once. */
  async setRole(actorId: string, userId: string, role: Role): Promise<AdminUser> {
    if (userId === actorId) throw AppError.forbidden('you cannot change your own role');
    const before = await this.record(userId);
    await this.d.users.admin.setRole(userId, role);
    if (before.role !== role) await this.d.auth.revokeUserSessions(userId, 'role_changed');
    return this.presentOne(userId);
  }

  async setLeft(actorId: string, userId: string, left: boolean): Promise<AdminUser> {
    await this.record(userId);
    await this.d.directory.departures.setLeft(userId, left, actorId);
    return this.presentOne(userId);
  }
}
