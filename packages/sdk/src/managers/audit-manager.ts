import type { AuditQuery, OpResponse } from '@zhixin/protocol';
import type { Call } from '../transport.ts';
import type { DownloadManager, DownloadOptions } from './download-manager.ts';

export type AuditPage = OpResponse<'audit.list'>;
export type AuditRecord = AuditPage['records'][number];
export type AuditVerification = OpResponse<'audit.verify'>;
export type FileTrace = OpResponse<'files.trace'>;
export type AuditExportFormat = 'csv' | 'jsonl';

/** What the evidence export takes: the list's filters (without paging) and a format. */
export interface AuditExportQuery {
  format: AuditExportFormat;
  category?: AuditQuery['category'];
  action?: string;
  actorId?: string;
  subject?: string;
  conversationId?: string;
  from?: number;
  to?: number;
}

/** The export route: a plain streamed download (bearer token), not an operation. */
const EXPORT_PATH = '/api/v1/audit/export';

/**
 * The hash-chained audit and evidence log (auditors and administrators): records, chain
 * verification, a file's path by content hash, and the evidence export.
 */
export class AuditManager {
  constructor(
    private readonly call: Call,
    private readonly downloads: DownloadManager,
  ) {}

  /**
   * Records, newest first, filtered; page with `nextBeforeSeq`.
   * @example
   * const { records, nextBeforeSeq } = await client.audit.list({ category: 'file', action: 'file.', limit: 50 });
   */
  list(query: AuditQuery = {}): Promise<AuditPage> {
    return this.call('audit.list', query);
  }

  /**
   * Walk the whole chain; `ok` false names the first altered, inserted or removed record.
   * @example
   * const { ok, firstBadSeq } = await client.audit.verify();
   */
  verify(): Promise<AuditVerification> {
    return this.call('audit.verify', {});
  }

  /**
   * Every evidence record of a file by its sha256, oldest first, with the users and conversations it reached.
   * @example
   * const { steps, reachedUserIds } = await client.audit.trace(sha256);
   */
  trace(sha256: string): Promise<FileTrace> {
    return this.call('files.trace', { sha256 });
  }

  /**
   * The export route's server-relative URL for these filters (it needs the bearer token: fetch it
   * with {@link AuditManager.exportBlob}, not as a plain link).
   * @example
   * client.audit.exportUrl({ format: 'csv', category: 'file' }); // '/api/v1/audit/export?format=csv&category=file'
   */
  exportUrl(query: AuditExportQuery): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return `${EXPORT_PATH}?${params.toString()}`;
  }

  /**
   * Download the evidence export (CSV with a header row, or JSON lines), oldest first.
   * @example
   * const blob = await client.audit.exportBlob({ format: 'jsonl', subject: sha256 });
   */
  exportBlob(query: AuditExportQuery, options: Omit<DownloadOptions, 'bearer'> = {}): Promise<Blob> {
    return this.downloads.blob(this.exportUrl(query), { ...options, bearer: true });
  }
}
