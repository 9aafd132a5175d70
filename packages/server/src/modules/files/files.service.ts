import {
  MAX_FILE_BYTES,
  type FileInfo,
  type FileLink,
  type FileLinkBody,
  type FileQuota,
  type FileSettings,
} from '@zhixin/protocol';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Principal } from '../../http/principal.ts';
import { batchedLoad } from '../../platform/batched-load.ts';
import type { BlobStore } from '../../platform/blob/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditLog } from '../audit/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { FileReadAccess, FilesService, MediaProcessor } from './files.contract.ts';
import { finishUpload, type UploadCaller } from './files.finish.ts';
import { signLink, type LinkMac } from './files.links.ts';
import { sanitizeFileName } from './files.names.ts';
import {
  toFileInfo,
  type FileFacts,
  type FileRecord,
  type FilesRepo,
  type RetentionClass,
} from './files.repo.ts';
import type { FileSettingsStore } from './files.settings.ts';

const DAY_MS = 86_400_000;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;
const RETENTION_CLASSES: readonly RetentionClass[] = ['direct', 'group', 'self', 'none'];

export interface FilesCoreDeps {
  repo: FilesRepo;
  blobs: BlobStore;
  audit: AuditLog;
  settings: FileSettingsStore;
  conversations: ConversationsService;
  config: Config['files'];
  log: Logger;
  mac: LinkMac;
  now: () => number;
  /** Bytes the upload store holds of an unfinished upload. */
  uploadOffset: (id: string) => Promise<number>;
  /** Remove an upload's bytes and the upload store's record of it. */
  discard: (id: string) => Promise<void>;
}

/** Days a file of this class is kept (0: forever). */
function retentionDays(s: FileSettings, cls: RetentionClass): number {
  const r = s.retention;
  const specific =
    cls === 'direct' ? r.directDays : cls === 'group' ? r.groupDays : cls === 'self' ? r.selfDays : null;
  return specific ?? r.defaultDays;
}

/**
 * The files service: uploads (through the tus endpoint's hooks), file records, download links,
 * deletion, quota, expiry. Other modules use it through `FilesService` (files.contract.ts).
 */
export class FilesCore implements FilesService {
  private media: MediaProcessor | null = null;
  private readAccess: FileReadAccess | null = null;
  private goneListener: ((ids: readonly string[]) => Promise<unknown>) | null = null;

  constructor(private readonly d: FilesCoreDeps) {}

  /** The media module plugs its processor in (thumbnails, dimensions, cleaned copies). */
  setMediaProcessor(media: MediaProcessor): void {
    this.media = media;
  }

  /** The messages side tells who besides the owner may read a file; without it, only the owner. */
  setReadAccess(access: FileReadAccess): void {
    this.readAccess = access;
  }

  /** Told of files their owner deleted, after the bytes are gone (messages then show them as gone). */
  onDeleted(listener: (ids: readonly string[]) => Promise<unknown>): void {
    this.goneListener = listener;
  }

  settings(): Promise<FileSettings> {
    return this.d.settings.get();
  }

  private async info(rec: FileRecord): Promise<FileInfo> {
    const offset = rec.status === 'uploading' ? await this.d.uploadOffset(rec.id) : rec.size;
    let expiresAt: number | null = null;
    if (rec.status === 'ready' && rec.completedAt !== null) {
      const days = retentionDays(await this.settings(), rec.retentionClass);
      if (days > 0) expiresAt = rec.completedAt + days * DAY_MS;
    }
    return toFileInfo(rec, offset, expiresAt);
  }

  async get(id: string): Promise<FileInfo | null> {
    const rec = await this.d.repo.byId(id);
    return rec ? this.info(rec) : null;
  }

  /**
   * Read for every file message sent: the reads asked for in one turn of the event loop go as one
   * query (a burst of sends after a restart queued one each behind the connection pool).
   */
  readonly facts: (id: string) => Promise<FileFacts | null> = batchedLoad((ids) =>
    this.d.repo.factsByIds(ids),
  );

  /** The record when `userId` may read it (owner, or FileReadAccess); FILE_NOT_FOUND otherwise. */
  private async readable(userId: string, id: string, conversationId?: string): Promise<FileRecord> {
    const rec = await this.d.repo.byId(id);
    if (!rec) throw new AppError('FILE_NOT_FOUND', { id });
    if (rec.ownerId === userId) return rec;
    if (this.readAccess && (await this.readAccess.mayRead(userId, id, conversationId))) return rec;
    throw new AppError('FILE_NOT_FOUND', { id });
  }

  async getFor(p: Principal, id: string, conversationId?: string): Promise<FileInfo> {
    return this.info(await this.readable(p.userId, id, conversationId));
  }

  async link(p: Principal, body: FileLinkBody): Promise<FileLink> {
    const rec = await this.readable(p.userId, body.id, body.conversationId);
    if (rec.status === 'expired' || rec.status === 'deleted')
      throw new AppError('FILE_EXPIRED', { id: rec.id });
    if (rec.status === 'rejected') throw new AppError('FILE_REJECTED', { id: rec.id, reason: rec.reason });
    if (rec.status !== 'ready') throw new AppError('FILE_NOT_READY', { id: rec.id, status: rec.status });
    const variant = body.variant ?? 'original';
    if (variant === 'thumbnail' && rec.thumbnailMime === null)
      throw new AppError('FILE_NOT_FOUND', { id: rec.id, variant });
    const exp = this.d.now() + this.d.config.linkTtlSeconds * 1000;
    const url = signLink(this.d.mac, {
      fileId: rec.id,
      variant,
      disposition: body.disposition ?? 'attachment',
      userId: p.userId,
      sessionId: p.sessionId,
      exp,
    });
    return { url, expiresAt: exp };
  }

  /** Remove a file's bytes (original, thumbnail, upload record) wherever they are. */
  private async removeBlobs(id: string): Promise<void> {
    await this.d.discard(id);
    await this.d.blobs.delete(id);
    await this.d.blobs.delete(`${id}.thumb`);
  }

  async delete(p: Principal, id: string, ip: string): Promise<void> {
    const rec = await this.d.repo.byId(id);
    if (!rec || rec.ownerId !== p.userId) throw new AppError('FILE_NOT_FOUND', { id });
    if (rec.status === 'deleted' || rec.status === 'expired') return;
    const now = this.d.now();
    if (!(await this.d.repo.settle(id, [rec.status], { status: 'deleted' }, now))) {
      throw new AppError('CONFLICT', { id, reason: 'the file changed state; try again' });
    }
    await this.removeBlobs(id);
    await this.goneListener?.([id]);
    await this.d.audit.append({
      category: 'file',
      action: 'file.delete',
      actorId: p.userId,
      subject: rec.sha256,
      conversationId: rec.conversationId,
      deviceId: p.sessionId,
      ip,
      details: { fileId: id, name: rec.name, size: rec.size, previousStatus: rec.status },
    });
  }

  async quota(userId: string): Promise<FileQuota> {
    const s = await this.settings();
    const usedBytes = await this.d.repo.usedBytes(userId);
    const perFile = Math.min(s.maxFileBytes, MAX_FILE_BYTES);
    const left = s.quotaBytesPerUser > 0 ? Math.max(0, s.quotaBytesPerUser - usedBytes) : perFile;
    return { usedBytes, limitBytes: s.quotaBytesPerUser, maxFileBytes: Math.min(perFile, left) };
  }

  /** The largest upload accepted by anyone now (the tus `Tus-Max-Size`). */
  async maxUploadBytes(): Promise<number> {
    return Math.min((await this.settings()).maxFileBytes, MAX_FILE_BYTES);
  }

  async abandonAfterMs(): Promise<number> {
    return (await this.settings()).abandonedUploadHours * 3_600_000;
  }

  async owns(userId: string, id: string): Promise<boolean> {
    const rec = await this.d.repo.byId(id);
    return rec !== null && rec.ownerId === userId;
  }

  /** Check and record a new upload (the tus creation hook). Throws AppError, storing nothing. */
  async createUpload(
    caller: UploadCaller,
    id: string,
    size: number | undefined,
    meta: Record<string, string | null>,
  ): Promise<void> {
    if (size === undefined) throw new AppError('BAD_REQUEST', { reason: 'Upload-Length is required' });
    const s = await this.settings();
    const maxBytes = Math.min(s.maxFileBytes, MAX_FILE_BYTES);
    if (size > maxBytes) throw new AppError('FILE_TOO_LARGE', { size, maxBytes });
    const name = sanitizeFileName(meta.filename ?? '');
    const claimed = (meta.filetype ?? '').toLowerCase();
    const mime = MIME.test(claimed) ? claimed : 'application/octet-stream';
    const sha256 = meta.sha256 ?? null;
    if (sha256 !== null && !SHA256_HEX.test(sha256)) {
      throw AppError.validation([{ path: '/metadata/sha256', message: 'lowercase hex sha256' }]);
    }
    let retentionClass: RetentionClass = 'none';
    const conversationId = meta.conversationId ?? null;
    if (conversationId !== null) {
      const m = await this.d.conversations.membership(conversationId);
      if (!m || !m.has(caller.userId)) throw new AppError('NOT_MEMBER', { conversationId });
      // A channel's readers may read it but not post there: nor upload what they could not send.
      if (m.sendBlock(caller.userId, Date.now()) === 'CHANNEL_READ_ONLY')
        throw new AppError('CHANNEL_READ_ONLY', { conversationId });
      retentionClass =
        m.kind === 'group'
          ? 'group'
          : m.kind === 'direct'
            ? m.memberIds.length === 1
              ? 'self'
              : 'direct'
            : 'none';
    }
    if (s.quotaBytesPerUser > 0) {
      const used = await this.d.repo.usedBytes(caller.userId);
      if (used + size > s.quotaBytesPerUser) {
        throw new AppError('QUOTA_EXCEEDED', { usedBytes: used, limitBytes: s.quotaBytesPerUser, size });
      }
    }
    await this.d.repo.insert({
      id,
      ownerId: caller.userId,
      name,
      mime,
      size,
      conversationId,
      retentionClass,
      createdAt: this.d.now(),
    });
  }

  /** All bytes are there (the tus finish hook). */
  async finishUpload(caller: UploadCaller, id: string, meta: Record<string, string | null>): Promise<void> {
    const rec = await this.d.repo.byId(id);
    if (!rec) throw new AppError('FILE_NOT_FOUND', { id });
    await finishUpload(
      {
        repo: this.d.repo,
        blobs: this.d.blobs,
        audit: this.d.audit,
        config: this.d.config,
        log: this.d.log,
        media: () => this.media,
        discard: (fileId) => this.d.discard(fileId),
        now: this.d.now,
      },
      rec,
      meta.sha256 ?? null,
      caller,
    );
  }

  /** The client terminated its unfinished upload (tus DELETE): the store removed the bytes. */
  async uploadTerminated(caller: UploadCaller, id: string): Promise<void> {
    const rec = await this.d.repo.byId(id);
    if (!rec || !(await this.d.repo.settle(id, ['uploading'], { status: 'deleted' }, this.d.now()))) return;
    await this.d.audit.append({
      category: 'file',
      action: 'file.abandon',
      actorId: caller.userId,
      conversationId: rec.conversationId,
      deviceId: caller.sessionId,
      ip: caller.ip,
      details: { fileId: id, name: rec.name, size: rec.size, by: 'owner' },
    });
  }

  async expire(ids: readonly string[]): Promise<string[]> {
    const changed: string[] = [];
    for (const id of ids) {
      const rec = await this.d.repo.byId(id);
      if (!rec || rec.status === 'expired' || rec.status === 'deleted') continue;
      if (!(await this.d.repo.settle(id, [rec.status], { status: 'expired' }, this.d.now()))) continue;
      await this.removeBlobs(id);
      await this.d.audit.append({
        category: 'file',
        action: 'file.expire',
        actorId: null,
        subject: rec.sha256,
        conversationId: rec.conversationId,
        details: { fileId: id, name: rec.name, size: rec.size },
      });
      changed.push(id);
    }
    return changed;
  }

  async expiredCandidates(before: (kind: RetentionClass) => number, limit: number): Promise<string[]> {
    const found: Array<{ id: string; completedAt: number }> = [];
    for (const cls of RETENTION_CLASSES) {
      const cutoff = before(cls);
      if (cutoff > 0) found.push(...(await this.d.repo.readyBefore(cls, cutoff, limit)));
    }
    return found
      .sort((a, b) => a.completedAt - b.completedAt)
      .slice(0, limit)
      .map((f) => f.id);
  }

  /** Remove unfinished uploads older than the operator's abandonedUploadHours (the cleanup job). */
  async cleanupAbandoned(limit = 200): Promise<number> {
    const cutoff = this.d.now() - (await this.abandonAfterMs());
    const stale = await this.d.repo.abandoned(cutoff, limit);
    for (const rec of stale) {
      await this.removeBlobs(rec.id);
      await this.d.repo.remove(rec.id);
      await this.d.audit.append({
        category: 'file',
        action: 'file.abandon',
        actorId: null,
        conversationId: rec.conversationId,
        targetIds: [rec.ownerId],
        details: { fileId: rec.id, name: rec.name, size: rec.size, by: 'cleanup' },
      });
    }
    return stale.length;
  }

  /** A ready file for a verified download link; FILE_EXPIRED or FILE_NOT_FOUND otherwise. */
  async forDownload(id: string): Promise<FileRecord> {
    const rec = await this.d.repo.byId(id);
    if (!rec) throw new AppError('FILE_NOT_FOUND', { id });
    if (rec.status === 'expired' || rec.status === 'deleted') throw new AppError('FILE_EXPIRED', { id });
    if (rec.status !== 'ready') throw new AppError('FILE_NOT_FOUND', { id });
    return rec;
  }

  /** Evidence of one use of a download link. */
  async recordDownload(
    rec: FileRecord,
    who: UploadCaller,
    variant: string,
    range: string | null,
  ): Promise<void> {
    await this.d.audit.append({
      category: 'file',
      action: 'file.download',
      actorId: who.userId,
      subject: rec.sha256,
      conversationId: rec.conversationId,
      deviceId: who.sessionId,
      ip: who.ip,
      details: { fileId: rec.id, name: rec.name, size: rec.size, variant, ...(range ? { range } : {}) },
    });
  }
}
