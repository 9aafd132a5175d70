import { Readable } from 'node:stream';
import { API_PREFIX, AuditCategory, Id, roleMayCall, Timestamp, type AuditRecord } from '@zhixin/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../../errors.ts';
import type { OperationRegistry } from '../../http/operations.ts';
import type { AuditLog } from '../audit/index.ts';
import { csvHeader, csvLine, jsonLine } from './export.csv.ts';

export const EXPORT_PATH = `${API_PREFIX}/audit/export`;
const PAGE = 500;

const ExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('csv'), Type.Literal('jsonl')]),
    category: Type.Optional(AuditCategory),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    actorId: Type.Optional(Id),
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    conversationId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
type ExportQuery = Static<typeof ExportQuery>;

function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

/** Every matching record, oldest first, a page at a time (the export never holds the whole log). */
async function* records(audit: AuditLog, q: ExportQuery): AsyncGenerator<AuditRecord> {
  const { format: _format, ...filter } = q;
  for (let after = 0; ;) {
    const page = await audit.listAscending({ ...filter, limit: PAGE }, after);
    yield* page;
    const last = page[page.length - 1];
    if (!last || page.length < PAGE) return;
    after = last.seq;
  }
}

async function* lines(audit: AuditLog, q: ExportQuery): AsyncGenerator<string> {
  if (q.format === 'csv') yield csvHeader();
  for await (const r of records(audit, q)) yield q.format === 'csv' ? csvLine(r) : jsonLine(r);
}

/**
 * `GET /api/v1/audit/export?format=csv|jsonl&category=&action=&actorId=&subject=&conversationId=&from=&to=`:
 * the evidence as a streamed download, oldest first (auditors and administrators, bearer token).
 * The export itself is recorded (`audit.export`).
 */
export function registerExportRoute(http: FastifyInstance, ops: OperationRegistry, audit: AuditLog): void {
  http.get(EXPORT_PATH, { schema: { hide: true } }, async (req, reply) => {
    const bearer = bearerOf(req);
    if (!bearer) throw new AppError('UNAUTHENTICATED');
    const principal = await ops.authenticatorOrThrow().verifyAccessToken(bearer);
    if (!roleMayCall('auditor', principal.role)) throw AppError.forbidden('auditor only');
    const query = Value.Convert(ExportQuery, { ...(req.query as object) });
    if (!Value.Check(ExportQuery, query)) {
      const errors = [...Value.Errors(ExportQuery, query)]
        .slice(0, 5)
        .map((e) => ({ path: e.instancePath || '/', message: e.message }));
      throw AppError.validation(errors);
    }
    const { format, ...filter } = query;
    await audit.append({
      category: 'admin',
      action: 'audit.export',
      actorId: principal.userId,
      deviceId: principal.sessionId,
      ip: req.ip,
      details: { format, filter },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return reply
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="evidence-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(Readable.from(lines(audit, query)));
  });
}
