import type { ModuleDeps } from '../deps.ts';
import { registerAuditRoutes } from './audit.routes.ts';
import { createAuditLog, type AuditLog } from './audit.service.ts';

export type { AuditEntry, AuditLog } from './audit.service.ts';
export { createAuditLog } from './audit.service.ts';
export { chainHash, GENESIS_HASH } from './audit.chain.ts';

/** The audit module: the hash-chained log of evidence, and its read and verify operations. */
export function createAuditModule(deps: ModuleDeps): AuditLog {
  const audit = createAuditLog(deps.platform.database, deps.platform.keyring);
  registerAuditRoutes(deps.ops, audit);
  return audit;
}
