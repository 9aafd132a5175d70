import { API_PREFIX, ErrorBody, roleMayCall, type ExportFormat, type ExportKind } from '@zhixin/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors.ts';
import type { OperationRegistry } from '../../http/operations.ts';
import { requirePrincipal } from '../../http/principal.ts';
import type { UsersService } from '../users/index.ts';
import { checkRequest, type ExportsService } from './exports.service.ts';
import type { ExportTickets } from './exports.tickets.ts';

/** exports.catalog and exports.ticket (operators; the registry checks). */
export function registerExportOps(ops: OperationRegistry, exportsService: ExportsService): void {
  ops.register('exports.catalog', async () => exportsService.catalog());
  ops.register('exports.ticket', async (req, ctx) =>
    exportsService.ticket(requirePrincipal(ctx).userId, req),
  );
}

const FILES: Record<string, { kind: ExportKind; format: ExportFormat }> = {
  'users.csv': { kind: 'users', format: 'csv' },
  'users.xlsx': { kind: 'users', format: 'xlsx' },
  'active.csv': { kind: 'active', format: 'csv' },
  'active.xlsx': { kind: 'active', format: 'xlsx' },
  'profiles.jsonl': { kind: 'profiles', format: 'jsonl' },
};

interface ExportQuery {
  from?: string;
  to?: string;
  ticket?: string;
}

export interface ExportRouteDeps {
  exports: ExportsService;
  tickets: ExportTickets;
  ops: OperationRegistry;
  users: Pick<UsersService, 'account'>;
}

function integerOrUndefined(raw: string | undefined, path: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9]{1,16}$/.test(raw)) throw AppError.validation([{ path, message: 'must be a timestamp in ms' }]);
  return Number(raw);
}

/** Who is downloading: an operator's bearer token, or a ticket for exactly this export and range. */
async function actorOf(
  d: ExportRouteDeps,
  req: FastifyRequest<{ Querystring: ExportQuery }>,
  file: { kind: ExportKind; format: ExportFormat },
  range: { from: number; to: number } | null,
): Promise<string> {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const principal = await d.ops.authenticatorOrThrow().verifyAccessToken(header.slice(7).trim());
    if (!roleMayCall('operator', principal.role)) throw AppError.forbidden('operator only');
    return principal.userId;
  }
  if (!req.query.ticket) throw new AppError('UNAUTHENTICATED');
  const claims = d.tickets.verify(req.query.ticket);
  const sameRange =
    (claims.from ?? null) === (range?.from ?? null) && (claims.to ?? null) === (range?.to ?? null);
  if (claims.kind !== file.kind || claims.format !== file.format || !sameRange)
    throw new AppError('UNAUTHENTICATED', { reason: 'ticket_mismatch' });
  // The role now, not when the ticket was issued: a demoted operator's links stop working.
  const account = await d.users.account(claims.userId);
  if (!account || account.status !== 'active') throw new AppError('UNAUTHENTICATED');
  if (!roleMayCall('operator', account.role)) throw AppError.forbidden('operator only');
  return claims.userId;
}

/**
 * `GET /api/v1/exports/{file}`: the streamed exports (a plain route, like images: the body is a file,
 * not JSON). Authorised by an operator's bearer token or a ticket from `exports.ticket`.
 */
export function registerExportRoutes(http: FastifyInstance, d: ExportRouteDeps): void {
  http.get<{ Params: { file: string }; Querystring: ExportQuery }>(
    `${API_PREFIX}/exports/:file`,
    {
      schema: {
        summary: 'Download an export, streamed (operators)',
        description:
          'Files: `users.xlsx`, `users.csv` (every registered user), `active.xlsx`, `active.csv` ' +
          '(users active in `from`..`to`, with active days and messages sent) and `profiles.jsonl` ' +
          '(one JSON object per user: department, friends, groups, messages sent, active days, last ' +
          'active). CSV is UTF-8 with a byte-order mark; cells that would start a formula get a ' +
          'leading apostrophe. Authorise with `Authorization: Bearer` (operators) or a `ticket` ' +
          'from `POST /exports/tickets`. Every export is audited (`admin.export.<kind>`, row count).',
        tags: ['exports'],
        security: [{ bearer: [] }],
        params: Type.Object({ file: Type.Union(Object.keys(FILES).map((f) => Type.Literal(f))) }),
        querystring: Type.Object({
          from: Type.Optional(Type.Integer({ description: 'Start of the activity range, ms (inclusive)' })),
          to: Type.Optional(Type.Integer({ description: 'End of the activity range, ms (exclusive)' })),
          ticket: Type.Optional(
            Type.String({ description: 'A download ticket (instead of a bearer token)' }),
          ),
        }),
        response: {
          200: {
            description: 'The file, streamed (XLSX, CSV or JSON lines)',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                schema: { type: 'string', format: 'binary' },
              },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          default: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const file = FILES[req.params.file];
      if (!file) throw AppError.notFound('export');
      const range = checkRequest(
        file.kind,
        file.format,
        integerOrUndefined(req.query.from, '/from'),
        integerOrUndefined(req.query.to, '/to'),
      );
      const actorId = await actorOf(d, req, file, range);
      const opened = d.exports.open({ kind: file.kind, format: file.format, range, actorId, ip: req.ip });
      const stamp = new Date().toISOString().slice(0, 10);
      void reply
        .header('content-type', opened.contentType)
        .header('content-disposition', `attachment; filename="zhixin-${stamp}-${opened.fileName}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff');
      return reply.send(opened.stream);
    },
  );
}
