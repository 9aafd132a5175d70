import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createBlobStore, type BlobStore } from '../../platform/blob/index.ts';
import { newCapabilityId } from '../../platform/ids.ts';
import { scheduleJob, type ScheduledJob } from '../../platform/scheduler.ts';
import type { AuditLog } from '../audit/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import { registerDownloadRoute } from './files.download.ts';
import type { LinkMac } from './files.links.ts';
import { FilesRepo } from './files.repo.ts';
import { registerFilesOps } from './files.routes.ts';
import { FilesCore } from './files.service.ts';
import { createUploadStore } from './files.stores.ts';
import { defaultFileSettings, FileSettingsStore } from './files.settings.ts';
import { registerUploadRoutes, UploadEndpoint } from './files.tus.ts';

export type { FileReadAccess, FilesService, MediaFacts, MediaProcessor } from './files.contract.ts';
export type { FileFacts } from './files.repo.ts';
export type { FilesCore } from './files.service.ts';
export { UPLOADS_PATH } from './files.tus.ts';

export interface FilesModule {
  service: FilesCore;
  /** Mount the tus endpoint and the download route, once the HTTP server exists. */
  registerHttp(http: FastifyInstance): void;
  /** Stop the cleanup job. */
  close(): void;
}

/**
 * The files module: tus uploads at /api/v1/uploads into the blob store (disk or S3), the scanner
 * gate and inspection webhook, signed download links, operator file settings, the cleanup job.
 */
export function createFilesModule(
  deps: ModuleDeps & { audit: AuditLog; conversations: ConversationsService; blobs?: BlobStore },
): FilesModule {
  const { platform } = deps;
  const { config } = platform;
  const blobs = deps.blobs ?? createBlobStore(config);
  const repo = new FilesRepo(platform.db, platform.keyring);
  const settings = new FileSettingsStore(repo, defaultFileSettings(config.files), deps.audit);
  const mac: LinkMac = (data) => platform.keyring.blindIndex('file-link', data);
  const upload = createUploadStore(config.files, blobs);
  const holder: { endpoint?: UploadEndpoint } = {};
  const service = new FilesCore({
    repo,
    blobs,
    audit: deps.audit,
    settings,
    conversations: deps.conversations,
    config: config.files,
    log: platform.log,
    mac,
    now: Date.now,
    uploadOffset: async (id) => {
      try {
        return (await upload.store.getUpload(id)).offset;
      } catch {
        return 0;
      }
    },
    discard: async (id) => {
      await holder.endpoint?.discard(id);
    },
  });
  holder.endpoint = new UploadEndpoint(
    upload.store,
    upload.setExpiration,
    {
      create: (caller, id, size, meta) => {
        // Each upload reserves quota and a record: a flood of creations is refused early.
        deps.ops.callerLimits()?.take('uploads.create', caller.userId);
        return service.createUpload(caller, id, size, meta);
      },
      finish: (caller, id, meta) => service.finishUpload(caller, id, meta),
      terminated: (caller, id) => service.uploadTerminated(caller, id),
      owns: (userId, id) => service.owns(userId, id),
      maxSize: () => service.maxUploadBytes(),
      expirationMs: () => service.abandonAfterMs(),
      newId: () => newCapabilityId(),
    },
    () => deps.ops.authenticatorOrThrow(),
    join(config.dataDir, 'tmp', 'uploads'),
  );
  registerFilesOps(deps.ops, service, settings);
  const job: ScheduledJob = scheduleJob({
    db: platform.db,
    log: platform.log,
    name: 'files.cleanup',
    holder: platform.nodeId,
    intervalMs: config.files.cleanupIntervalMinutes * 60_000,
    run: () => service.cleanupAbandoned(),
  });
  const endpoint = holder.endpoint;
  return {
    service,
    registerHttp(http) {
      registerUploadRoutes(http, endpoint);
      registerDownloadRoute(
        http,
        service,
        blobs,
        mac,
        async (sessionId) => (await deps.ops.authenticatorOrThrow().sessionIsLive?.(sessionId)) ?? true,
      );
    },
    close: () => job.stop(),
  };
}
