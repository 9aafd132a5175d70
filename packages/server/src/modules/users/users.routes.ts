import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import { parseIdList, type UsersService } from './users.service.ts';

/** users.* operations: thin wrappers over the service. */
export function registerUsersRoutes(ops: OperationRegistry, users: UsersService): void {
  ops.register('users.me', async (_req, ctx) => users.me(requirePrincipal(ctx).userId));
  ops.register('users.updateMe', async (req, ctx) => users.updateMe(requirePrincipal(ctx).userId, req));
  ops.register('users.profiles', async (req) => ({ users: await users.profiles(parseIdList(req.ids)) }));
  ops.register('users.lookupByPhone', async (req) => users.lookupByPhone(req.phone));
  ops.register('users.setAccount', async (req, ctx) =>
    users.setAccount(requirePrincipal(ctx).userId, req.account),
  );
}
