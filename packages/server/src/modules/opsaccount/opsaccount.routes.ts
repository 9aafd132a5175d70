import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { OpsAccountService } from './opsaccount.service.ts';

/** opsAccount.*: thin wrappers over the service (the registry checks the admin role). */
export function registerOpsAccountRoutes(ops: OperationRegistry, service: OpsAccountService): void {
  ops.register('opsAccount.info', async (_req, ctx) => service.info(requirePrincipal(ctx)));
  ops.register('opsAccount.send', async (req, ctx) =>
    service.send(requirePrincipal(ctx), req.target, req.text),
  );
  ops.register('opsAccount.broadcasts', async (req) => service.broadcasts(req));
  ops.register('opsAccount.feedback', async (req) => service.feedback(req));
  ops.register('opsAccount.thread', async (req) => service.thread(req));
  ops.register('opsAccount.reply', async (req, ctx) =>
    service.reply(requirePrincipal(ctx), req.userId, req.text),
  );
}
