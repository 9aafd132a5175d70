import type { OperationRegistry } from '../../http/operations.ts';
import type { DirectoryService } from './directory.service.ts';
import type { DirectoryImports } from './imports.service.ts';

/** directory.*: thin wrappers over the services (the registry enforces admin access). */
export function registerDirectoryRoutes(
  ops: OperationRegistry,
  directory: DirectoryService,
  imports: DirectoryImports,
): void {
  ops.register('directory.tree', async () => ({ departments: await directory.tree() }));
  ops.register('directory.members', (req) => directory.members(req));
  ops.register('directory.userDepartments', (req) => directory.userDepartments(req.userId));
  ops.register('directory.createDepartment', (req) =>
    directory.createDepartment(req.parentId, req.name, req.sortOrder),
  );
  ops.register('directory.updateDepartment', (req) =>
    directory.updateDepartment(req.id, { name: req.name, sortOrder: req.sortOrder }),
  );
  ops.register('directory.moveDepartment', (req) => directory.moveDepartment(req.id, req.parentId));
  ops.register('directory.deleteDepartment', async (req) => {
    await directory.deleteDepartment(req.id);
    return { ok: true as const };
  });
  ops.register('directory.setUserDepartments', (req) =>
    directory.setUserDepartments(req.userId, req.departments),
  );
  ops.register('directory.importCsv', (req) => imports.csv(req.csv, req.dryRun));
  ops.register('directory.importLdap', (req) => imports.ldap(req));
  ops.register('directory.ldapConfig', () => imports.ldapConfig());
}
