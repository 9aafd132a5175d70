import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { BlobStore } from '../../platform/blob/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { AuditLog } from '../audit/index.ts';
import { clamdScan, ScannerUnavailable } from './files.clamd.ts';
import type { MediaFacts, MediaProcessor } from './files.contract.ts';
import { sniffMime } from './files.magic.ts';
import type { FileRecord, FilesRepo } from './files.repo.ts';
import { InspectionUnavailable, inspectUpload } from './files.webhook.ts';

/** Who finished the upload (the final PATCH): evidence. */
export interface UploadCaller {
  userId: string;
  sessionId: string;
  ip: string;
}

export interface FinishDeps {
  repo: FilesRepo;
  blobs: BlobStore;
  audit: AuditLog;
  config: Config['files'];
  log: Logger;
  /** The media module's processor, when it is wired in. */
  media: () => MediaProcessor | null;
  /** Remove an upload's bytes and the upload store's record of it. */
  discard: (id: string) => Promise<void>;
  now: () => number;
}

const SNIFF_BYTES = 4100;

/** sha256, size and the first bytes of a local file, in one streaming pass. */
async function digestFile(path: string): Promise<{ sha256: string; size: number; head: Buffer }> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
    if (headBytes < SNIFF_BYTES) {
      head.push(buf.subarray(0, SNIFF_BYTES - headBytes));
      headBytes += Math.min(buf.length, SNIFF_BYTES - headBytes);
    }
  }
  return { sha256: hash.digest('hex'), size, head: Buffer.concat(head) };
}

/** Why the gate refused a file, or null to let it through. */
async function gate(
  d: FinishDeps,
  rec: FileRecord,
  path: string,
  facts: { sha256: string; size: number; mime: string },
): Promise<string | null> {
  if (d.config.clamdSocket) {
    try {
      const verdict = await clamdScan(d.config.clamdSocket, createReadStream(path), d.config.clamdTimeoutMs);
      if (!verdict.clean) return verdict.signature;
    } catch (err) {
      if (!(err instanceof ScannerUnavailable)) throw err;
      d.log.error({ err, fileId: rec.id }, 'scanner gate unavailable');
      if (!d.config.clamdFailOpen) return 'scanner unavailable';
    }
  }
  if (d.config.inspectWebhookUrl) {
    try {
      const verdict = await inspectUpload(
        d.config.inspectWebhookUrl,
        {
          fileId: rec.id,
          sha256: facts.sha256,
          name: rec.name,
          size: facts.size,
          mime: facts.mime,
          ownerId: rec.ownerId,
          conversationId: rec.conversationId,
        },
        d.config.inspectWebhookTimeoutMs,
      );
      if (!verdict.allow) return `inspection: ${verdict.reason}`;
    } catch (err) {
      if (!(err instanceof InspectionUnavailable)) throw err;
      d.log.error({ err, fileId: rec.id }, 'inspection webhook unavailable');
      return 'inspection unavailable';
    }
  }
  return null;
}

async function reject(
  d: FinishDeps,
  rec: FileRecord,
  caller: UploadCaller,
  reason: string,
  sha256: string,
): Promise<void> {
  await d.discard(rec.id);
  await d.blobs.delete(`${rec.id}.thumb`);
  await d.repo.settle(
    rec.id,
    ['scanning'],
    { status: 'rejected', reason, sha256, completedAt: d.now() },
    d.now(),
  );
  await d.audit.append({
    category: 'file',
    action: 'file.reject',
    actorId: caller.userId,
    subject: sha256,
    conversationId: rec.conversationId,
    deviceId: caller.sessionId,
    ip: caller.ip,
    details: { fileId: rec.id, name: rec.name, size: rec.size, reason },
  });
}

async function processMedia(d: FinishDeps, path: string, mime: string, name: string): Promise<MediaFacts> {
  const media = d.media();
  if (!media) return {};
  try {
    return await media.process({ path, mime, name });
  } catch (err) {
    d.log.error({ err }, 'media processor failed');
    return {};
  }
}

/**
 * Settle a completed upload: hash it, check the client's sha256, sniff its type, run the scanner
 * gate and the inspection webhook, let the media module look at it, then mark it ready with an
 * evidence record. A refusal removes the bytes and throws (CHECKSUM_MISMATCH or FILE_REJECTED),
 * which fails the final PATCH so the client knows.
 */
export async function finishUpload(
  d: FinishDeps,
  rec: FileRecord,
  expectedSha256: string | null,
  caller: UploadCaller,
): Promise<void> {
  if (!(await d.repo.settle(rec.id, ['uploading'], { status: 'scanning' }))) return;
  try {
    const copy = await d.blobs.localCopy(rec.id);
    try {
      let facts = await digestFile(copy.path);
      if (expectedSha256 && facts.sha256 !== expectedSha256) {
        await reject(d, rec, caller, 'checksum', facts.sha256);
        throw new AppError('CHECKSUM_MISMATCH', { expected: expectedSha256, actual: facts.sha256 });
      }
      const originalSha256 = facts.sha256;
      let mime = sniffMime(facts.head, rec.mime);
      const refusal = await gate(d, rec, copy.path, { ...facts, mime });
      if (refusal) {
        await reject(d, rec, caller, refusal, facts.sha256);
        throw new AppError('FILE_REJECTED', { reason: refusal });
      }
      const media = await processMedia(d, copy.path, mime, rec.name);
      if (media.replacementPath) {
        await d.blobs.putFile(rec.id, media.replacementPath);
        facts = await digestFile(media.replacementPath);
      }
      if (media.mime) mime = media.mime;
      if (media.thumbnail) await d.blobs.put(`${rec.id}.thumb`, media.thumbnail.data);
      await d.repo.settle(rec.id, ['scanning'], {
        status: 'ready',
        sha256: facts.sha256,
        mime,
        size: facts.size,
        width: media.width ?? null,
        height: media.height ?? null,
        durationMs: media.durationMs ?? null,
        thumbnailMime: media.thumbnail?.mime ?? null,
        completedAt: d.now(),
      });
      await d.audit.append({
        category: 'file',
        action: 'file.upload',
        actorId: caller.userId,
        subject: facts.sha256,
        conversationId: rec.conversationId,
        deviceId: caller.sessionId,
        ip: caller.ip,
        details: {
          fileId: rec.id,
          name: rec.name,
          size: facts.size,
          mime,
          ...(originalSha256 !== facts.sha256 ? { originalSha256 } : {}),
        },
      });
    } finally {
      await copy.release();
    }
  } catch (err) {
    // Anything unexpected: never leave a file stuck in `scanning`.
    if (!(err instanceof AppError)) {
      await d.repo.settle(rec.id, ['scanning'], { status: 'rejected', reason: 'processing failed' }, d.now());
      await d.discard(rec.id).catch(() => undefined);
    }
    throw err;
  }
}
