import type {
  AdminGroup,
  AdminGroupMembers,
  AdminGroupPage,
  AdminGroupsQuery,
  AdminResetPasswordResult,
  AdminUser,
  AdminUserDetail,
  AdminUserPage,
  AdminUsersQuery,
  DepartmentAssignment,
  LicenseStatus,
  Role,
  ScreeningApplyResult,
  ScreeningPreview,
  ScreeningRules,
  UserDepartments,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type {
  AdminGroup,
  AdminGroupMembers,
  AdminGroupPage,
  AdminGroupsQuery,
  AdminResetPasswordResult,
  AdminUser,
  AdminUserDetail,
  AdminUserPage,
  AdminUsersQuery,
  LicenseStatus,
  ScreeningApplyResult,
  ScreeningPreview,
  ScreeningRules,
};

/**
 * The admin console's user and group administration, license and invalid-user screening. Operators
 * may call most of it; roles, screening apply and license install are for administrators.
 */
export class AdminManager {
  constructor(private readonly call: Call) {}

  /**
   * Search users by phone, 致信号 or nickname, department, role and status.
   * @example
   * const { users, total } = await client.admin.users({ q: '138', status: 'active', page: 1, pageSize: 20 });
   */
  users(query: AdminUsersQuery = {}): Promise<AdminUserPage> {
    return this.call('admin.users.list', query);
  }

  /** A user's profile, departments and logged-in devices. */
  user(userId: string): Promise<AdminUserDetail> {
    return this.call('admin.users.get', { userId });
  }

  /**
   * Disable (every session ends at once) or enable a user.
   * @example
   * await client.admin.setDisabled(userId, true);
   */
  setDisabled(userId: string, disabled: boolean): Promise<AdminUser> {
    return this.call('admin.users.setDisabled', { userId, disabled });
  }

  /**
   * Reset a user's password: `password` sets it; without it a one-time password comes back once.
   * @example
   * const { password } = await client.admin.resetPassword(userId); // show it once to the operator
   */
  resetPassword(userId: string, password?: string): Promise<AdminResetPasswordResult> {
    return this.call('admin.users.resetPassword', password === undefined ? { userId } : { userId, password });
  }

  /** Force a user out of every session, or of one device. */
  forceLogout(userId: string, sessionId?: string): Promise<{ revoked: number }> {
    return this.call('admin.users.logout', sessionId === undefined ? { userId } : { userId, sessionId });
  }

  /** Replace a user's departments and titles. */
  setDepartments(userId: string, departments: DepartmentAssignment[]): Promise<UserDepartments> {
    return this.call('admin.users.setDepartments', { userId, departments });
  }

  /** Change a user's role (administrators; not one's own, never the last administrator). */
  setRole(userId: string, role: Role): Promise<AdminUser> {
    return this.call('admin.users.setRole', { userId, role });
  }

  /** Mark a user as having left the organisation, or not. */
  setLeft(userId: string, left: boolean): Promise<AdminUser> {
    return this.call('admin.users.setLeft', { userId, left });
  }

  /**
   * Every group, newest first.
   * @example
   * const { groups } = await client.admin.groups({ q: '项目', status: 'live' });
   */
  groups(query: AdminGroupsQuery = {}): Promise<AdminGroupPage> {
    return this.call('admin.groups.list', query);
  }

  /**
   * A group and its members.
   * @example
   * const { group, members } = await client.admin.groupMembers(conversationId);
   */
  groupMembers(conversationId: string): Promise<AdminGroupMembers> {
    return this.call('admin.groups.members', { conversationId });
  }

  /**
   * Dissolve a group as an operator; members get the system message.
   * @example
   * const group = await client.admin.dissolveGroup(conversationId); // group.status === 'dissolved'
   */
  dissolveGroup(conversationId: string): Promise<AdminGroup> {
    return this.call('admin.groups.dissolve', { conversationId });
  }

  /**
   * Invalid-user screening dry run: who matches which rule. Changes nothing.
   * @example
   * const { candidates } = await client.admin.previewScreening({ inactiveDays: 180, disabled: true });
   */
  previewScreening(rules: ScreeningRules): Promise<ScreeningPreview> {
    return this.call('admin.screening.preview', { rules });
  }

  /**
   * Deactivate screened users (administrators), keeping or purging their profile data.
   * @example
   * const { deactivated, skipped } = await client.admin.applyScreening(preview.candidates.map((c) => c.user.id), 'keep');
   */
  applyScreening(userIds: string[], policy: 'keep' | 'purge'): Promise<ScreeningApplyResult> {
    return this.call('admin.screening.apply', { userIds, policy });
  }

  /**
   * The license in force: licensee, licensed and used seats, validity.
   * @example
   * const { maxUsers, used, state } = await client.admin.license();
   */
  license(): Promise<LicenseStatus> {
    return this.call('license.get', {});
  }

  /**
   * Install a signed license file (administrators).
   * @example
   * await client.admin.installLicense(await file.text());
   */
  installLicense(text: string): Promise<LicenseStatus> {
    return this.call('license.install', { text });
  }
}
