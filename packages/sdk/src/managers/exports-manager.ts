import type { ExportCatalog, ExportFormat, ExportKind, ExportTicket } from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type { ExportCatalog, ExportFormat, ExportKind, ExportTicket };

/**
 * Exports of users and behaviour data (operators and administrators). The files themselves are
 * streamed by `GET /api/v1/exports/{file}`: scripts call it with their bearer token, browsers follow
 * the short-lived link of {@link ExportsManager.ticket}.
 */
export class ExportsManager {
  constructor(private readonly call: Call) {}

  /**
   * The exports there are, with their formats, paths and columns.
   * @example
   * const { exports } = await client.exports.catalog();
   */
  catalog(): Promise<ExportCatalog> {
    return this.call('exports.catalog', {});
  }

  /**
   * A download link, valid for 60 seconds, for one export (`active` and `profiles` need a range in
   * ms, `to` exclusive). The link is relative to the server's origin.
   * @example
   * const { url } = await client.exports.ticket('active', 'xlsx', { from: Date.now() - 30 * 86_400_000, to: Date.now() });
   * window.location.assign(url);
   */
  ticket(
    kind: ExportKind,
    format: ExportFormat,
    range?: { from: number; to: number },
  ): Promise<ExportTicket> {
    return this.call('exports.ticket', { kind, format, ...(range ?? {}) });
  }
}
