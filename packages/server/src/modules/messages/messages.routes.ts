import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { MessageOps } from './messages.service.ts';
import type { MessageSender } from './send.service.ts';

/** messages.*: the registry has validated the request; call the service. */
export function registerMessageRoutes(
  ops: OperationRegistry,
  sender: MessageSender,
  messages: MessageOps,
): void {
  ops.register('messages.send', async (req, ctx) => sender.send(requirePrincipal(ctx), req, { ip: ctx.ip }));
  ops.register('messages.forward', async (req, ctx) =>
    sender.forward(requirePrincipal(ctx), req, { ip: ctx.ip }),
  );
  ops.register('messages.history', async (req, ctx) => messages.history(requirePrincipal(ctx), req));
  ops.register('messages.changes', async (req, ctx) => messages.changes(requirePrincipal(ctx), req));
  ops.register('messages.edit', async (req, ctx) => messages.edit(requirePrincipal(ctx), req));
  ops.register('messages.recall', async (req, ctx) => messages.recall(requirePrincipal(ctx), req));
  ops.register('messages.react', async (req, ctx) => messages.react(requirePrincipal(ctx), req));
  ops.register('messages.readers', async (req, ctx) => messages.readers(requirePrincipal(ctx), req));
}
