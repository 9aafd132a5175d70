import type { ContactsService } from '../contacts/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { BlockListCache } from './block-cache.ts';
import { FriendsRepo } from './friends.repo.ts';
import { registerFriendsRoutes } from './friends.routes.ts';
import { createFriendsService, type FriendsService } from './friends.service.ts';

export type { FriendsService } from './friends.service.ts';
export { REQUEST_TTL_MS } from './friends.service.ts';

/** The friends module: search, requests, friendships (as mutual contacts), blocks and privacy. */
export function createFriendsModule(
  deps: ModuleDeps & { users: UsersService; contacts: ContactsService },
): FriendsService {
  const repo = new FriendsRepo(deps.platform.db, deps.platform.keyring);
  const friends = createFriendsService({
    repo,
    blocks: new BlockListCache((ownerIds) => repo.blockedIdsOf(ownerIds), deps.platform.broker),
    users: deps.users,
    contacts: deps.contacts,
    events: deps.events,
  });
  registerFriendsRoutes(deps.ops, friends);
  return friends;
}
