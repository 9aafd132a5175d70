import type { Readable } from 'node:stream';
import {
  API_PREFIX,
  type ExportCatalog,
  type ExportFormat,
  type ExportKind,
  type ExportRange,
  type ExportTicket,
  type ExportTicketBody,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditLog } from '../audit/index.ts';
import { activeUsers, behaviourRecords, registeredUsers, type RowSourceDeps } from './exports.rows.ts';
import type { ExportTickets } from './exports.tickets.ts';
import {
  ACTIVE_COLUMNS,
  USER_COLUMNS,
  csvStream,
  jsonLinesStream,
  xlsxStream,
  type WriteResult,
} from './exports.writers.ts';

const DAY_MS = 86_400_000;
/** The longest activity range one export covers. */
export const MAX_RANGE_DAYS = 366;

const FORMATS: Record<ExportKind, readonly ExportFormat[]> = {
  users: ['xlsx', 'csv'],
  active: ['xlsx', 'csv'],
  profiles: ['jsonl'],
};

const PROFILE_FIELDS = [
  'userId',
  'department',
  'departmentId',
  'friends',
  'groups',
  'messagesSent',
  'activeDays',
  'lastActiveAt',
  'createdAt',
];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** An export as it leaves the server. */
export interface OpenedExport {
  stream: Readable;
  contentType: string;
  fileName: string;
}

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  range: ExportRange | null;
  actorId: string;
  ip: string;
}

export interface ExportsService {
  catalog(): ExportCatalog;
  /** VALIDATION_FAILED for a format the export has not, or a missing or bad range. */
  ticket(actorId: string, body: ExportTicketBody): ExportTicket;
  /** Checks as `ticket`; the stream audits `admin.export.<kind>` with the row count when it ends. */
  open(req: ExportRequest): OpenedExport;
}

export interface ExportsServiceDeps {
  rows: RowSourceDeps;
  tickets: ExportTickets;
  audit: Pick<AuditLog, 'append'>;
  log: Logger;
}

/** `users.csv`, `active.xlsx`, `profiles.jsonl`. */
export function fileNameOf(kind: ExportKind, format: ExportFormat): string {
  return `${kind}.${format}`;
}

/** VALIDATION_FAILED unless the export has this format and, where needed, a sane range. */
export function checkRequest(
  kind: ExportKind,
  format: ExportFormat,
  from: number | undefined,
  to: number | undefined,
): ExportRange | null {
  if (!FORMATS[kind].includes(format))
    throw AppError.validation([
      { path: '/format', message: `${kind} exports as ${FORMATS[kind].join(' or ')}` },
    ]);
  if (kind === 'users') return null;
  if (from === undefined || to === undefined)
    throw AppError.validation([{ path: '/from', message: 'from and to are required' }]);
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from < to))
    throw AppError.validation([{ path: '/to', message: 'to must be after from' }]);
  if (to - from > MAX_RANGE_DAYS * DAY_MS)
    throw AppError.validation([{ path: '/to', message: `at most ${MAX_RANGE_DAYS} days` }]);
  return { from, to };
}

function rangeOf(req: ExportRequest): ExportRange {
  if (!req.range) throw AppError.validation([{ path: '/from', message: 'from and to are required' }]);
  return req.range;
}

export function createExportsService(d: ExportsServiceDeps): ExportsService {
  function audited(req: ExportRequest): {
    done: (r: WriteResult) => Promise<void>;
    fail: (err: unknown) => void;
  } {
    const entry = {
      category: 'admin' as const,
      action: `admin.export.${req.kind}`,
      actorId: req.actorId,
      subject: fileNameOf(req.kind, req.format),
      ip: req.ip,
    };
    return {
      done: async (r) => {
        await d.audit.append({ ...entry, details: { format: req.format, range: req.range, rows: r.rows } });
      },
      fail: (err) => {
        d.log.error({ err, export: entry.subject }, 'export failed');
        void d.audit
          .append({ ...entry, details: { format: req.format, range: req.range, failed: true } })
          .catch((e: unknown) => d.log.error({ err: e }, 'could not audit an export'));
      },
    };
  }

  return {
    catalog() {
      return {
        exports: (Object.keys(FORMATS) as ExportKind[]).map((kind) => ({
          kind,
          formats: [...FORMATS[kind]],
          paths: FORMATS[kind].map((f) => `/exports/${fileNameOf(kind, f)}`),
          needsRange: kind !== 'users',
          columns:
            kind === 'profiles'
              ? PROFILE_FIELDS
              : (kind === 'active' ? ACTIVE_COLUMNS : USER_COLUMNS).map((c) => c.key),
        })),
      };
    },

    ticket(actorId, body) {
      const range = checkRequest(body.kind, body.format, body.from, body.to);
      const { ticket, expiresAt } = d.tickets.sign({
        userId: actorId,
        kind: body.kind,
        format: body.format,
        from: range?.from ?? null,
        to: range?.to ?? null,
      });
      const query = new URLSearchParams({ ticket });
      if (range) {
        query.set('from', String(range.from));
        query.set('to', String(range.to));
      }
      return { url: `${API_PREFIX}/exports/${fileNameOf(body.kind, body.format)}?${query}`, expiresAt };
    },

    open(req) {
      const { done, fail } = audited(req);
      const contentType = CONTENT_TYPES[req.format];
      const fileName = fileNameOf(req.kind, req.format);
      if (req.kind === 'profiles') {
        const stream = jsonLinesStream(behaviourRecords(d.rows, rangeOf(req)), done);
        stream.on('error', fail);
        return { stream, contentType, fileName };
      }
      const pages = req.kind === 'users' ? registeredUsers(d.rows) : activeUsers(d.rows, rangeOf(req));
      const columns = req.kind === 'users' ? USER_COLUMNS : ACTIVE_COLUMNS;
      if (req.format === 'xlsx') {
        const sheet = req.kind === 'users' ? '注册用户' : '活跃用户';
        return { stream: xlsxStream(pages, columns, sheet, done, fail), contentType, fileName };
      }
      const stream = csvStream(pages, columns, done);
      stream.on('error', fail);
      return { stream, contentType, fileName };
    },
  };
}
