import { MAX_VOICE_MS, type Message } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import type { DB } from '../../platform/db/index.ts';
import type { AuditEntry, AuditLog } from '../audit/index.ts';
import type { Caller, Membership } from '../conversations/index.ts';
import type { FileFacts, FilesService } from '../files/index.ts';
import {
  carriesFile,
  type CheckedFile,
  type FileMessageContent,
  type FileSend,
  type MessageAttachments,
  type SendOrigin,
} from '../messages/index.ts';
import { claimedRefsSql, sentRefArrays, type FileRef, type FileRefsRepo } from './filerefs.repo.ts';

/** Evidence names at most this many recipients; `details.recipientCount` has the full count. */
export const MAX_EVIDENCE_TARGETS = 1000;
/** Containers round durations; a recording this much over 60 s is still accepted. */
const VOICE_TOLERANCE_MS = 500;

/** The file ids a message's content names. */
export function fileIdsOf(content: FileMessageContent): string[] {
  const ids = [content.fileId];
  if ((content.kind === 'image' || content.kind === 'video') && content.thumbnailFileId)
    ids.push(content.thumbnailFileId);
  return ids;
}

/** A file must be ready to be sent: typed errors for every other state. */
function requireReady(file: FileFacts): void {
  switch (file.status) {
    case 'ready':
      return;
    case 'uploading':
    case 'scanning':
      throw new AppError('FILE_NOT_READY', { id: file.id, status: file.status });
    case 'rejected':
      throw new AppError('FILE_REJECTED', { id: file.id, reason: file.reason });
    default:
      throw new AppError('FILE_EXPIRED', { id: file.id });
  }
}

function mismatch(path: string, message: string): AppError {
  return AppError.validation([{ path, message }]);
}

/** Whether the stored file can be shown as this kind of message. */
function checkKind(content: FileMessageContent, file: FileFacts): void {
  const family = file.mime.split('/')[0];
  const fits =
    content.kind === 'file' ||
    (content.kind === 'image' && family === 'image') ||
    (content.kind === 'video' && family === 'video') ||
    // A recording without a picture stays a voice message even when its container says video.
    (content.kind === 'voice' && (family === 'audio' || (family === 'video' && file.width === null)));
  if (!fits)
    throw mismatch('/content/kind', `a ${content.kind} message cannot carry a file of type ${file.mime}`);
}

/**
 * The content as stored: the file's measured type, size, pixels and duration replace what the
 * client said (the client may not know them, or may lie); the name stays the sender's label.
 */
function corrected(content: FileMessageContent, file: FileFacts): FileMessageContent {
  const base = { mime: file.mime, size: file.size };
  switch (content.kind) {
    case 'file':
      return { ...content, ...base };
    case 'image':
      return {
        ...content,
        ...base,
        width: file.width ?? content.width,
        height: file.height ?? content.height,
      };
    case 'video':
      return {
        ...content,
        ...base,
        width: file.width ?? content.width,
        height: file.height ?? content.height,
        durationMs: file.durationMs ?? content.durationMs,
      };
    case 'voice': {
      const measured = file.durationMs;
      if (measured !== null && measured > MAX_VOICE_MS + VOICE_TOLERANCE_MS)
        throw mismatch(
          '/content/durationMs',
          `voice messages are at most ${MAX_VOICE_MS / 1000} s (this one is ${measured} ms)`,
        );
      const durationMs =
        measured === null ? content.durationMs : Math.max(1, Math.min(measured, MAX_VOICE_MS));
      return { ...content, ...base, durationMs };
    }
  }
}

/** The evidence record of a send or forward of a file (R-T2); null when the message carries none. */
function evidenceOf({ caller, message, membership, origin, file }: FileSend): AuditEntry | null {
  if (!carriesFile(message.content)) return null;
  const recipients = membership.memberIds.filter((id) => id !== caller.userId);
  const from = message.forwardedFrom;
  return {
    category: 'file',
    action: from ? 'file.forward' : 'file.send',
    actorId: caller.userId,
    subject: file.sha256,
    conversationId: message.conversationId,
    targetIds: recipients.slice(0, MAX_EVIDENCE_TARGETS),
    deviceId: caller.sessionId,
    ip: origin.ip ?? null,
    details: {
      fileId: message.content.fileId,
      messageSeq: message.seq,
      kind: message.content.kind,
      size: message.content.size,
      recipientCount: recipients.length,
      ...(from ? { fromConversationId: from.conversationId, fromSeq: from.seq } : {}),
    },
  };
}

export interface AttachmentsDeps {
  repo: FileRefsRepo;
  files: FilesService;
  audit: AuditLog;
}

/** The file references of these messages: one per file each carries. */
function refsOf(messages: readonly Message[]): FileRef[] {
  const refs: FileRef[] = [];
  for (const m of messages) {
    if (!carriesFile(m.content)) continue;
    for (const fileId of fileIdsOf(m.content))
      refs.push({
        conversationId: m.conversationId,
        seq: m.seq,
        fileId,
        senderId: m.senderId,
        createdAt: m.createdAt,
      });
  }
  return refs;
}

/** The messages module's view of files: checks, references, evidence (R-L2, R-T2). */
export function createAttachments(d: AttachmentsDeps): MessageAttachments {
  /**
   * The caller's own file, or FILE_NOT_FOUND (someone else's file is not revealed). Its facts only:
   * a send never shows the stored name (the message carries the sender's label), so it stays sealed.
   */
  async function ownFile(caller: Caller, id: string): Promise<FileFacts> {
    const file = await d.files.facts(id);
    if (!file || file.ownerId !== caller.userId) throw new AppError('FILE_NOT_FOUND', { id });
    return file;
  }

  return {
    async checkSend(caller, _conversationId, content) {
      const file = await ownFile(caller, content.fileId);
      requireReady(file);
      checkKind(content, file);
      if ((content.kind === 'image' || content.kind === 'video') && content.thumbnailFileId) {
        const thumb = await ownFile(caller, content.thumbnailFileId);
        requireReady(thumb);
        if (!thumb.mime.startsWith('image/'))
          throw mismatch('/content/thumbnailFileId', 'a thumbnail must be an image');
      }
      return { content: corrected(content, file), file: { sha256: file.sha256 } };
    },

    async checkForward(_caller, source, content) {
      // The forwarder is a member of the source conversation and the message carries the file:
      // they may read it. It must still exist; the blob is not copied.
      if (source.fileExpired) throw new AppError('FILE_EXPIRED', { id: content.fileId });
      let sha256: string | null = null;
      for (const id of fileIdsOf(content)) {
        const file = await d.files.facts(id);
        if (!file) throw new AppError('FILE_NOT_FOUND', { id });
        requireReady(file);
        if (id === content.fileId) sha256 = file.sha256;
      }
      return { sha256 };
    },

    async recordIn(trx: Kysely<DB>, messages: readonly Message[]) {
      await d.repo.insert(trx, refsOf(messages));
    },

    claimedRefs: {
      sql: claimedRefsSql,
      params: (messages) => sentRefArrays(refsOf(messages)),
    },

    evidenceInTransaction: d.audit.inTransaction,

    async sentIn(trx: Kysely<DB>, sends: readonly FileSend[]) {
      const entries = sends.flatMap((s) => {
        const entry = evidenceOf(s);
        return entry ? [entry] : [];
      });
      if (entries.length > 0) await d.audit.appendIn(trx, entries);
    },

    async sent(
      caller: Caller,
      message: Message,
      membership: Membership,
      origin: SendOrigin,
      file: CheckedFile,
    ) {
      const entry = evidenceOf({ caller, message, membership, origin, file });
      if (entry) await d.audit.append(entry);
    },

    recalled: (conversationId, seq) => d.repo.markRecalled(conversationId, seq),
  };
}
