import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { CallsService } from './calls.service.ts';

/** calls.*: thin wrappers over the service. */
export function registerCallsRoutes(ops: OperationRegistry, calls: CallsService): void {
  ops.register('calls.start', async (req, ctx) =>
    calls.start(requirePrincipal(ctx), req.conversationId, req.media),
  );
  ops.register('calls.accept', async (req, ctx) => calls.accept(requirePrincipal(ctx), req.callId));
  ops.register('calls.decline', async (req, ctx) => calls.decline(requirePrincipal(ctx), req.callId));
  ops.register('calls.cancel', async (req, ctx) => calls.cancel(requirePrincipal(ctx), req.callId));
  ops.register('calls.hangup', async (req, ctx) => calls.hangup(requirePrincipal(ctx), req.callId));
  ops.register('calls.update', async (req, ctx) =>
    calls.update(requirePrincipal(ctx), req.callId, req.media),
  );
  ops.register('calls.signal', async (req, ctx) => {
    await calls.signal(requirePrincipal(ctx), req);
    return { ok: true as const };
  });
  ops.register('calls.current', async (_req, ctx) => ({ call: await calls.current(requirePrincipal(ctx)) }));
  ops.register('calls.iceServers', async (_req, ctx) => calls.iceServers(requirePrincipal(ctx)));
}
