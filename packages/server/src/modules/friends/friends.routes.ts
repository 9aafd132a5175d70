import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { FriendsService } from './friends.service.ts';

const ok = { ok: true as const };

/** friends.*: thin wrappers over the service. */
export function registerFriendsRoutes(ops: OperationRegistry, friends: FriendsService): void {
  ops.register('friends.search', async (req, ctx) => friends.search(requirePrincipal(ctx), req.query));
  ops.register('friends.request', async (req, ctx) =>
    friends.request(requirePrincipal(ctx), req.userId, req.message, req.remark),
  );
  ops.register('friends.requests', async (_req, ctx) => friends.requests(requirePrincipal(ctx)));
  ops.register('friends.accept', async (req, ctx) =>
    friends.accept(requirePrincipal(ctx), req.requestId, req.remark),
  );
  ops.register('friends.decline', async (req, ctx) => {
    await friends.decline(requirePrincipal(ctx), req.requestId);
    return ok;
  });
  ops.register('friends.remove', async (req, ctx) => {
    await friends.remove(requirePrincipal(ctx), req.userId);
    return ok;
  });
  ops.register('friends.block', async (req, ctx) => {
    await friends.block(requirePrincipal(ctx), req.userId);
    return ok;
  });
  ops.register('friends.unblock', async (req, ctx) => {
    await friends.unblock(requirePrincipal(ctx), req.userId);
    return ok;
  });
  ops.register('friends.blocked', async (_req, ctx) => ({
    users: await friends.blocked(requirePrincipal(ctx)),
  }));
  ops.register('friends.privacy', async (_req, ctx) => friends.privacy(requirePrincipal(ctx)));
  ops.register('friends.updatePrivacy', async (req, ctx) =>
    friends.updatePrivacy(requirePrincipal(ctx), req),
  );
}
