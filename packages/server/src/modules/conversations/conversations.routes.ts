import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { ConversationsService } from './conversations.types.ts';

/** conversations.* and groups.*: parse (done by the registry), call the service, present. */
export function registerConversationRoutes(ops: OperationRegistry, service: ConversationsService): void {
  ops.register('conversations.list', async (req, ctx) => service.list(requirePrincipal(ctx), req.since));
  ops.register('conversations.get', async (req, ctx) =>
    service.get(requirePrincipal(ctx), req.conversationId),
  );
  ops.register('conversations.openDirect', async (req, ctx) =>
    service.openDirect(requirePrincipal(ctx), req.userId),
  );
  ops.register('conversations.members', async (req, ctx) =>
    service.members(requirePrincipal(ctx), req.conversationId),
  );
  ops.register('conversations.updateSettings', async (req, ctx) =>
    service.updateSettings(requirePrincipal(ctx), req),
  );
  ops.register('conversations.saveDraft', async (req, ctx) =>
    service.saveDraft(requirePrincipal(ctx), req.conversationId, req.text),
  );
  ops.register('conversations.markRead', async (req, ctx) =>
    service.markRead(requirePrincipal(ctx), req.conversationId, req.seq),
  );
  ops.register('conversations.typing', async (req, ctx) => {
    await service.typing(requirePrincipal(ctx), req.conversationId, req.typing);
    return { ok: true as const };
  });

  ops.register('groups.create', async (req, ctx) =>
    service.createGroup(requirePrincipal(ctx), req.title, req.memberIds, {
      temporary: req.temporary === true,
    }),
  );
  ops.register('groups.rename', async (req, ctx) =>
    service.renameGroup(requirePrincipal(ctx), req.conversationId, req.title),
  );
  ops.register('groups.addMembers', async (req, ctx) =>
    service.addMembers(requirePrincipal(ctx), req.conversationId, req.userIds),
  );
  ops.register('groups.removeMembers', async (req, ctx) =>
    service.removeMembers(requirePrincipal(ctx), req.conversationId, req.userIds),
  );
  ops.register('groups.leave', async (req, ctx) => {
    await service.leaveGroup(requirePrincipal(ctx), req.conversationId);
    return { ok: true as const };
  });
}
