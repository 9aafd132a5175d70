import type { AuditRecord } from '@zhixin/protocol';

/** Columns of the evidence CSV, in order. */
export const CSV_COLUMNS = [
  'seq',
  'at',
  'category',
  'action',
  'actorId',
  'subject',
  'conversationId',
  'targetIds',
  'deviceId',
  'ip',
  'details',
  'hash',
] as const;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would read as a formula (starting with = + - @,
 * or a tab or carriage return) is prefixed with `'`, so opening an export runs nothing.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The header row, after a byte order mark so spreadsheet programs read the UTF-8 (Chinese names) right. */
export function csvHeader(): string {
  return `\uFEFF${CSV_COLUMNS.join(',')}\r\n`;
}

/** One record as a CSV line: the time as ISO 8601 UTC, target ids space-separated, details as JSON. */
export function csvLine(r: AuditRecord): string {
  const cells = [
    String(r.seq),
    new Date(r.at).toISOString(),
    r.category,
    r.action,
    r.actorId ?? '',
    r.subject ?? '',
    r.conversationId ?? '',
    r.targetIds.join(' '),
    r.deviceId ?? '',
    r.ip ?? '',
    JSON.stringify(r.details),
    r.hash,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** One record as a JSON line. */
export function jsonLine(r: AuditRecord): string {
  return `${JSON.stringify(r)}\n`;
}
