import type {
  Department,
  DepartmentAssignment,
  DirectoryMemberPage,
  ImportLdapBody,
  ImportReport,
  SavedLdapConfig,
  UserDepartments,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type {
  Department,
  DepartmentAssignment,
  DirectoryMember,
  DirectoryMemberPage,
  ImportLdapBody,
  ImportLine,
  ImportReport,
  SavedLdapConfig,
  UserDepartment,
  UserDepartments,
} from '@zhixin/protocol';

export interface MembersOptions {
  /** Include every department below (each user once). */
  recursive?: boolean;
  /** Only members whose nickname or title contains this text. */
  q?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** 1..200, default 50. */
  limit?: number;
}

/** The organisation directory: everyone reads it; the admin methods answer FORBIDDEN to others. */
export class DirectoryManager {
  constructor(private readonly call: Call) {}

  /**
   * Every department (flat; build the tree from `parentId`), with member counts.
   * @example
   * const deps = await client.directory.tree();
   * const top = deps.filter((d) => d.parentId === null);
   */
  async tree(): Promise<Department[]> {
    return (await this.call('directory.tree', {})).departments;
  }

  /**
   * One page of a department's members.
   * @example
   * let page = await client.directory.members(depId, { recursive: true, q: '张' });
   * while (page.nextCursor) page = await client.directory.members(depId, { cursor: page.nextCursor });
   */
  members(departmentId: string, opts: MembersOptions = {}): Promise<DirectoryMemberPage> {
    return this.call('directory.members', { departmentId, ...opts });
  }

  /**
   * A user's departments (primary first) with the path names and titles.
   * @example
   * const { departments } = await client.directory.userDepartments(userId);
   * const line = departments.map((d) => `${d.path.join(' / ')} · ${d.title}`);
   */
  userDepartments(userId: string): Promise<UserDepartments> {
    return this.call('directory.userDepartments', { userId });
  }

  /**
   * Create a department (admin); `parentId` null for the top level.
   * @example
   * const rd = await client.directory.createDepartment(hq.id, '研发中心');
   */
  createDepartment(parentId: string | null, name: string, sortOrder?: number): Promise<Department> {
    return this.call(
      'directory.createDepartment',
      sortOrder === undefined ? { parentId, name } : { parentId, name, sortOrder },
    );
  }

  /**
   * Rename a department or change its sort order (admin).
   * @example
   * await client.directory.updateDepartment(id, { name: '前端组' });
   */
  updateDepartment(id: string, patch: { name?: string; sortOrder?: number }): Promise<Department> {
    return this.call('directory.updateDepartment', { id, ...patch });
  }

  /**
   * Move a department under another, or to the top level with null (admin). DEPARTMENT_CYCLE
   * when the target is inside the department itself.
   * @example
   * await client.directory.moveDepartment(frontEnd.id, rd.id);
   */
  moveDepartment(id: string, parentId: string | null): Promise<Department> {
    return this.call('directory.moveDepartment', { id, parentId });
  }

  /**
   * Delete an empty department (admin); DEPARTMENT_NOT_EMPTY otherwise.
   * @example
   * await client.directory.deleteDepartment(id);
   */
  async deleteDepartment(id: string): Promise<void> {
    await this.call('directory.deleteDepartment', { id });
  }

  /**
   * Replace a user's departments and titles (admin).
   * @example
   * await client.directory.setUserDepartments(userId, [{ departmentId: rd.id, title: '工程师', primary: true }]);
   */
  setUserDepartments(userId: string, departments: DepartmentAssignment[]): Promise<UserDepartments> {
    return this.call('directory.setUserDepartments', { userId, departments });
  }

  /**
   * Import users and departments from CSV text (admin): phone, nickname, department path, title.
   * @example
   * const plan = await client.directory.importCsv(text, true);
   * if (plan.refused === 0) await client.directory.importCsv(text, false);
   */
  importCsv(csv: string, dryRun: boolean): Promise<ImportReport> {
    return this.call('directory.importCsv', { csv, dryRun });
  }

  /**
   * Import from an LDAP/AD server (admin). The password is kept only with `save: true`.
   * @example
   * const report = await client.directory.importLdap({
   *   url: 'ldap://ldap.example.com', bindDN: 'cn=reader,dc=example,dc=com', password,
   *   baseDN: 'dc=example,dc=com', filter: '(objectClass=inetOrgPerson)',
   *   attributes: { phone: 'mobile', nickname: 'displayName', title: 'title', department: '' },
   *   dryRun: true,
   * });
   */
  importLdap(body: ImportLdapBody): Promise<ImportReport> {
    return this.call('directory.importLdap', body);
  }

  /**
   * The saved LDAP import configuration (admin), without the password.
   * @example
   * const { source, hasPassword } = await client.directory.ldapConfig();
   */
  ldapConfig(): Promise<SavedLdapConfig> {
    return this.call('directory.ldapConfig', {});
  }
}
