import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { LicenseService } from './license.service.ts';

/** license.* operations. */
export function registerLicenseRoutes(ops: OperationRegistry, license: LicenseService): void {
  ops.register('license.get', async () => license.status());
  ops.register('license.install', async (req, ctx) =>
    license.install(req.text, requirePrincipal(ctx).userId),
  );
}
