import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { GroupAdmin } from './groups.admin.ts';
import type { GroupJoins } from './groups.join.ts';
import type { GroupLifecycle } from './groups.lifecycle.ts';

const OK = { ok: true as const };

/** groups.* beyond create/rename/members: parse (done by the registry), call, present. */
export function registerGroupRoutes(
  ops: OperationRegistry,
  admin: GroupAdmin,
  joins: GroupJoins,
  lifecycle: GroupLifecycle,
): void {
  ops.register('groups.setAdmin', (req, ctx) =>
    admin.setAdmin(requirePrincipal(ctx), req.conversationId, req.userId, req.admin),
  );
  ops.register('groups.transferOwnership', (req, ctx) =>
    admin.transferOwnership(requirePrincipal(ctx), req.conversationId, req.userId),
  );
  ops.register('groups.setAvatar', (req, ctx) =>
    admin.setAvatar(requirePrincipal(ctx), req.conversationId, req.imageId),
  );
  ops.register('groups.setAnnouncement', (req, ctx) =>
    admin.setAnnouncement(requirePrincipal(ctx), req.conversationId, req.text),
  );
  ops.register('groups.setJoinApproval', (req, ctx) =>
    admin.setJoinApproval(requirePrincipal(ctx), req.conversationId, req.required),
  );
  ops.register('groups.muteAll', (req, ctx) =>
    admin.muteAll(requirePrincipal(ctx), req.conversationId, req.on),
  );
  ops.register('groups.muteMember', (req, ctx) =>
    admin.muteMember(requirePrincipal(ctx), req.conversationId, req.userId, req.untilMs),
  );
  ops.register('groups.setMyNickname', (req, ctx) =>
    admin.setMyNickname(requirePrincipal(ctx), req.conversationId, req.nickname),
  );
  ops.register('groups.joinRequests', (req, ctx) =>
    joins.requests(requirePrincipal(ctx), req.conversationId),
  );
  ops.register('groups.approveJoin', (req, ctx) =>
    joins.approve(requirePrincipal(ctx), req.conversationId, req.requestId),
  );
  ops.register('groups.declineJoin', async (req, ctx) => {
    await joins.decline(requirePrincipal(ctx), req.conversationId, req.requestId);
    return OK;
  });
  ops.register('groups.code', (req, ctx) => joins.code(requirePrincipal(ctx), req.conversationId));
  ops.register('groups.refreshCode', (req, ctx) =>
    joins.refreshCode(requirePrincipal(ctx), req.conversationId),
  );
  ops.register('groups.preview', (req, ctx) => joins.preview(requirePrincipal(ctx), req.code));
  ops.register('groups.joinByCode', (req, ctx) => joins.joinByCode(requirePrincipal(ctx), req.code));
  ops.register('groups.dissolve', async (req, ctx) => {
    await lifecycle.dissolve(requirePrincipal(ctx), req.conversationId);
    return OK;
  });
  ops.register('groups.temporary', async () => ({ groups: await lifecycle.temporary() }));
  ops.register('groups.cleanupTemporary', async (req) => ({ groups: await lifecycle.cleanup(req.dryRun) }));
}
