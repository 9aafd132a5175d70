import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../audit/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import type { RowSourceDeps } from './exports.rows.ts';
import { registerExportOps, registerExportRoutes } from './exports.routes.ts';
import { createExportsService, type ExportsService } from './exports.service.ts';
import { ExportTickets } from './exports.tickets.ts';

export type { ActivitySource, UserActivity } from './exports.rows.ts';
export type { ExportsService } from './exports.service.ts';
export { csvField, safeText, UTF8_BOM } from './exports.format.ts';

export interface ExportsModule {
  service: ExportsService;
  /** Add the streaming download route (`GET /api/v1/exports/{file}`) to the HTTP server. */
  registerHttp(http: FastifyInstance): void;
}

/** Streamed exports of users and behaviour data (R-A1, R-R1): XLSX, CSV and JSON lines, audited. */
export function createExportsModule(
  deps: ModuleDeps &
    RowSourceDeps & { audit: AuditLog; users: RowSourceDeps['users'] & Pick<UsersService, 'account'> },
): ExportsModule {
  const { platform } = deps;
  const tickets = new ExportTickets((data) => platform.keyring.blindIndex('export-ticket', data));
  const service = createExportsService({
    rows: deps,
    tickets,
    audit: deps.audit,
    log: platform.log,
  });
  registerExportOps(deps.ops, service);
  return {
    service,
    registerHttp: (http) =>
      registerExportRoutes(http, { exports: service, tickets, ops: deps.ops, users: deps.users }),
  };
}
