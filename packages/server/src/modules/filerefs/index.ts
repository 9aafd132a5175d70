import type { FastifyInstance } from 'fastify';
import { scheduleJob } from '../../platform/scheduler.ts';
import type { AuditLog } from '../audit/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { FileReadAccess, FilesService } from '../files/index.ts';
import type { FileMessageRef, MessageAttachments } from '../messages/index.ts';
import { createReadAccess } from './access.ts';
import { createAttachments } from './attachments.service.ts';
import { registerExportRoute } from './export.routes.ts';
import { FileRefsRepo } from './filerefs.repo.ts';
import { registerFileRefsOps } from './filerefs.routes.ts';
import { runRetention, type RetentionRun } from './retention.ts';

export { fileExpiresAt, retentionDays, type RetentionClass, type RetentionRun } from './retention.ts';
export { csvCell } from './export.csv.ts';
export { EXPORT_PATH } from './export.routes.ts';

/** How often the retention job runs (on whichever node holds its lease). */
export const RETENTION_INTERVAL_MS = 10 * 60_000;

export interface FileRefsService {
  /** Plugged into the messages module: file checks, references and evidence of sends and forwards. */
  attachments: MessageAttachments;
  /** Plugged into the files module: members of a conversation where the file was sent may read it. */
  readAccess: FileReadAccess;
  /** One retention run now (the scheduled job calls this; tests inject the clock). */
  runRetention(now?: number): Promise<RetentionRun>;
  /** Show the messages carrying these (removed) files as "file expired", e.g. after their owner deleted them. */
  filesGone(fileIds: readonly string[]): Promise<number>;
}

export interface FileRefsModule {
  service: FileRefsService;
  /**
   * Start the retention job and mount the evidence export, once the messages module (which marks
   * messages) and the HTTP server exist.
   */
  start(deps: {
    markFilesExpired: (refs: readonly FileMessageRef[]) => Promise<number>;
    http: FastifyInstance;
  }): void;
  close(): void;
}

/**
 * Which messages carry which files (R-L2 forwards without copies, download access), the retention
 * job (R-M3), disclaimer acceptance (R-T1), file traces and the evidence export (R-T2).
 */
export function createFileRefsModule(
  deps: ModuleDeps & {
    conversations: ConversationsService;
    files: FilesService;
    audit: AuditLog;
    linkedHashes: (sha256: string) => Promise<string[]>;
  },
): FileRefsModule {
  const { platform } = deps;
  const repo = new FileRefsRepo(platform.db, platform.dialect);
  const attachments = createAttachments({ repo, files: deps.files, audit: deps.audit });
  registerFileRefsOps(deps.ops, {
    files: deps.files,
    conversations: deps.conversations,
    audit: deps.audit,
    linkedHashes: deps.linkedHashes,
  });
  let marker: ((refs: readonly FileMessageRef[]) => Promise<number>) | null = null;
  const markFilesExpired = (refs: readonly FileMessageRef[]) => {
    if (!marker) throw new Error('filerefs module not started');
    return marker(refs);
  };
  let stop = () => undefined as void;
  const service: FileRefsService = {
    attachments,
    readAccess: createReadAccess(repo, deps.conversations),
    runRetention: (now = Date.now()) =>
      runRetention({ files: deps.files, repo, markFilesExpired, log: platform.log }, now),
    filesGone: async (fileIds) => markFilesExpired(await repo.messagesOf(fileIds)),
  };
  return {
    service,
    start(started) {
      marker = started.markFilesExpired;
      registerExportRoute(started.http, deps.ops, deps.audit);
      const job = scheduleJob({
        db: platform.db,
        log: platform.log,
        name: 'files.retention',
        holder: platform.nodeId,
        intervalMs: RETENTION_INTERVAL_MS,
        run: () => service.runRetention(),
      });
      stop = () => job.stop();
    },
    close: () => stop(),
  };
}
