import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import { acceptDisclaimer, type DisclaimerDeps } from './disclaimer.service.ts';
import { traceFile, type TraceDeps } from './trace.service.ts';

/** files.acceptDisclaimer (users) and files.trace (auditors; the registry checks the role). */
export function registerFileRefsOps(ops: OperationRegistry, deps: DisclaimerDeps & TraceDeps): void {
  ops.register('files.acceptDisclaimer', async (req, ctx) => {
    await acceptDisclaimer(deps, requirePrincipal(ctx), req, ctx.ip);
    return { ok: true };
  });
  ops.register('files.trace', async (req) => traceFile(deps, req.sha256));
}
