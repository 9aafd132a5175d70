import type { ModuleDeps } from '../deps.ts';
import type { ImagesService } from '../images/index.ts';
import { UsersRepo } from './users.repo.ts';
import { registerUsersRoutes } from './users.routes.ts';
import { createUsersService, type UsersService } from './users.service.ts';

export type { Account, NewAccount, UsersService } from './users.service.ts';
export type { UserRecord, UserStatus } from './users.repo.ts';
export type { UserSearch, UsersAdmin } from './users.admin.ts';
export { PURGED_NICKNAME } from './users.admin.ts';
export { normalizePhone } from './phone.ts';

/** The users module: profiles and the account records the auth module builds on. */
export function createUsersModule(deps: ModuleDeps & { images: ImagesService }): UsersService {
  const users = createUsersService(new UsersRepo(deps.platform.db, deps.platform.keyring), deps.images);
  registerUsersRoutes(deps.ops, users);
  return users;
}
