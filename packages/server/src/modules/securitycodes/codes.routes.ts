import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { SecurityCodesService } from './codes.service.ts';

/** codes.* and auth.quickLogin.*: thin wrappers over the service. */
export function registerCodesRoutes(ops: OperationRegistry, codes: SecurityCodesService): void {
  ops.register('codes.mine', async (_req, ctx) => codes.mine(requirePrincipal(ctx)));
  ops.register('codes.refreshMine', async (req, ctx) =>
    codes.refreshMine(requirePrincipal(ctx), req.validityDays),
  );
  ops.register('codes.resolve', async (req, ctx) => codes.resolve(requirePrincipal(ctx), req.code));
  ops.register('codes.createTransfer', async (req, ctx) => codes.createTransfer(requirePrincipal(ctx), req));
  ops.register('auth.quickLogin.start', async (req) => codes.start(req.device));
  ops.register('auth.quickLogin.status', async (req) => codes.status(req));
  ops.register('auth.quickLogin.scan', async (req, ctx) => codes.scan(requirePrincipal(ctx), req.code));
  ops.register('auth.quickLogin.confirm', async (req, ctx) => {
    await codes.confirm(requirePrincipal(ctx), req.attemptId, req.allow);
    return { ok: true as const };
  });
}
