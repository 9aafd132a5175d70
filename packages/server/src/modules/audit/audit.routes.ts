import type { OperationRegistry } from '../../http/operations.ts';
import type { AuditLog } from './audit.service.ts';

/** audit.list and audit.verify (auditors and administrators; the registry checks the role). */
export function registerAuditRoutes(ops: OperationRegistry, audit: AuditLog): void {
  ops.register('audit.list', async (req) => audit.list(req));
  ops.register('audit.verify', async () => audit.verify());
}
