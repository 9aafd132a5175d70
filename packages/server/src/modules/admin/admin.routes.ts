import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { AdminGroups } from './admin.groups.service.ts';
import type { AdminUsers } from './admin.users.service.ts';
import type { Screening } from './screening.service.ts';

/** admin.* operations: thin wrappers over the services (access levels are in the protocol). */
export function registerAdminRoutes(
  ops: OperationRegistry,
  users: AdminUsers,
  groups: AdminGroups,
  screening: Screening,
): void {
  const actor = (ctx: Parameters<typeof requirePrincipal>[0]) => requirePrincipal(ctx).userId;
  ops.register('admin.users.list', async (req) => users.list(req));
  ops.register('admin.users.get', async (req) => users.detail(req.userId));
  ops.register('admin.users.setDisabled', async (req, ctx) =>
    users.setDisabled(requirePrincipal(ctx), req.userId, req.disabled),
  );
  ops.register('admin.users.resetPassword', async (req, ctx) =>
    users.resetPassword(requirePrincipal(ctx), req.userId, req.password),
  );
  ops.register('admin.users.logout', async (req, ctx) =>
    users.logout(requirePrincipal(ctx), req.userId, req.sessionId),
  );
  ops.register('admin.users.setDepartments', async (req) =>
    users.setDepartments(req.userId, req.departments),
  );
  ops.register('admin.users.setRole', async (req, ctx) => users.setRole(actor(ctx), req.userId, req.role));
  ops.register('admin.users.setLeft', async (req, ctx) => users.setLeft(actor(ctx), req.userId, req.left));
  ops.register('admin.groups.list', async (req) => groups.list(req));
  ops.register('admin.groups.members', async (req) => groups.members(req.conversationId));
  ops.register('admin.groups.dissolve', async (req, ctx) => groups.dissolve(actor(ctx), req.conversationId));
  ops.register('admin.screening.preview', async (req) => screening.preview(req.rules));
  ops.register('admin.screening.apply', async (req, ctx) =>
    screening.apply(actor(ctx), req.userIds, req.policy),
  );
}
