import type { AuthService } from '../auth/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { createDepartures, type Departures } from './departures.ts';
import { DepartmentsRepo } from './departments.repo.ts';
import { registerDirectoryRoutes } from './directory.routes.ts';
import { createDirectoryService, type DirectoryService as DirectoryCore } from './directory.service.ts';
import { createDirectoryImports } from './imports.service.ts';

export type { Departures } from './departures.ts';

/** The directory: departments and memberships, and who left the organisation. */
export type DirectoryService = DirectoryCore & { readonly departures: Departures };

/** The directory module: the department tree, memberships and CSV/LDAP imports (R-C1). */
export function createDirectoryModule(
  deps: ModuleDeps & { users: UsersService; auth: AuthService },
): DirectoryService {
  const repo = new DepartmentsRepo(deps.platform.db);
  const directory = createDirectoryService({ repo, users: deps.users });
  const imports = createDirectoryImports({
    repo,
    keyring: deps.platform.keyring,
    directory,
    users: deps.users,
    auth: deps.auth,
  });
  registerDirectoryRoutes(deps.ops, directory, imports);
  return Object.assign(directory, { departures: createDepartures(deps.platform.db) });
}
