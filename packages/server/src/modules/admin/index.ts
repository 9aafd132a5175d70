import type { AuditLog } from '../audit/index.ts';
import type { AuthService } from '../auth/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { DirectoryService } from '../directory/index.ts';
import type { UsersService } from '../users/index.ts';
import { AdminGroups } from './admin.groups.service.ts';
import { UserPresenter } from './admin.present.ts';
import { registerAdminRoutes } from './admin.routes.ts';
import { AdminUsers } from './admin.users.service.ts';
import { Screening } from './screening.service.ts';

export { phoneKey } from './screening.service.ts';

export interface AdminModuleDeps extends ModuleDeps {
  users: UsersService;
  auth: AuthService;
  directory: DirectoryService;
  conversations: ConversationsService;
  audit: AuditLog;
}

/**
 * The admin module (issue 8): user and group administration and invalid-user screening for the
 * console. Every staff change is audited centrally by the operation registry.
 */
export function createAdminModule(deps: AdminModuleDeps): void {
  const present = new UserPresenter(deps.directory);
  registerAdminRoutes(
    deps.ops,
    new AdminUsers({ users: deps.users, auth: deps.auth, directory: deps.directory, present }),
    new AdminGroups(deps.conversations, deps.users),
    new Screening({ ...deps, present }),
  );
}
