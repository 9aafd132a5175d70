import type { FileInfo } from '@zhixin/protocol';
import { newClientId, ZhixinError } from '@zhixin/sdk';
import { client } from '../../../app/client.ts';
import { sendContent } from '../../../data/send.ts';
import { confirmDisclaimer, filePolicy } from '../disclaimer/disclaimer-store.ts';
import { sendKindOf } from '../format.ts';
import { wholeFileSha256 } from './checksum.ts';
import { contentFor } from './content.ts';
import { probeLocally } from './probe.ts';
import { startUpload, type RunningUpload } from './sdk-upload.ts';
import { MAX_PERSISTED_BYTES, uploadQueue, type QueuedUpload, type UploadKind } from './upload-queue.ts';
import { dropUpload, patchUpload, putUpload, resetUploads, useUploads } from './uploads-store.ts';

/** How often, and how long at most, to ask whether the server has finished checking a file. */
const READY_POLL_MS = 1_000;
const READY_WAIT_MS = 5 * 60_000;

/** Uploads running in this tab, by queue id (the SDK handle and the content being uploaded). */
const running = new Map<string, RunningUpload>();
/** Contents of uploads, kept in memory for those too large to persist. */
const contents = new Map<string, Blob>();
/** The queue rows of this tab's uploads (IndexedDB may be unavailable; this copy always works). */
const entries = new Map<string, QueuedUpload>();

/**
 * Run an upload while holding a Web Lock named after it, so that two tabs restoring the same
 * queue after a reload do not both upload it; `fn` is skipped when another tab holds it.
 */
function withUploadLock(id: string, fn: () => Promise<void>): Promise<void> {
  // Web Locks exist only in secure contexts: a plain-HTTP intranet address has none.
  const locks: LockManager | undefined = window.isSecureContext ? navigator.locks : undefined;
  if (!locks) return fn();
  return locks.request(`zhixin.upload.${id}`, { ifAvailable: true }, async (lock) => {
    if (lock) await fn();
  });
}

const alive = (id: string) => useUploads.getState().byId[id] !== undefined;

function codeOf(err: unknown): string {
  return err instanceof ZhixinError ? err.code : 'UNKNOWN';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait while the server scans and measures the file; a refused file throws its reason. */
async function waitReady(info: FileInfo, conversationId: string): Promise<FileInfo> {
  const deadline = Date.now() + READY_WAIT_MS;
  let current = info;
  while (current.status === 'uploading' || current.status === 'scanning') {
    if (Date.now() > deadline)
      throw new ZhixinError('FILE_NOT_READY', 'the server is still checking the file');
    await sleep(READY_POLL_MS);
    current = await client.call('files.get', { id: current.id, conversationId });
  }
  if (current.status === 'rejected')
    throw new ZhixinError('FILE_REJECTED', current.reason ?? 'rejected', {
      details: { reason: current.reason },
    });
  if (current.status !== 'ready') throw new ZhixinError('FILE_EXPIRED', `file is ${current.status}`);
  return current;
}

async function uploadBytes(entry: QueuedUpload, blob: Blob): Promise<FileInfo> {
  const sha256 = await wholeFileSha256(blob).catch(() => null);
  // Cancelled while hashing: upload nothing.
  if (!alive(entry.id)) throw new ZhixinError('ABORTED', 'upload cancelled');
  const handle = startUpload({
    blob,
    name: entry.name,
    mime: entry.mime,
    conversationId: entry.conversationId,
    sha256,
    onProgress: (sent) => {
      const held = useUploads.getState().byId[entry.id];
      if (held && held.state === 'uploading') patchUpload(entry.id, { loaded: sent });
    },
  });
  running.set(entry.id, handle);
  return handle.promise
    .catch(async (err: unknown) => {
      // All bytes are in but the server is still checking the file: wait for it below.
      if (codeOf(err) !== 'FILE_NOT_READY' || !handle.fileId) throw err;
      return client.call('files.get', { id: handle.fileId, conversationId: entry.conversationId });
    })
    .finally(() => running.delete(entry.id));
}

/** Upload (or resume), wait until the server accepts the file, record the disclaimer, then send. */
async function run(entry: QueuedUpload): Promise<void> {
  patchUpload(entry.id, { state: 'uploading', error: null });
  try {
    let info: FileInfo;
    if (entry.fileId) {
      info = await client.call('files.get', { id: entry.fileId, conversationId: entry.conversationId });
    } else {
      const blob = contents.get(entry.id) ?? entry.blob;
      if (!blob) return patchUpload(entry.id, { state: 'needsFile' });
      info = await uploadBytes(entry, blob);
      entry = { ...entry, fileId: info.id };
      entries.set(entry.id, entry);
      await uploadQueue.patch(entry.id, { fileId: info.id, blob: null }).catch(() => undefined);
    }
    patchUpload(entry.id, { state: 'processing', loaded: entry.size });
    info = await waitReady(info, entry.conversationId);
    // Cancelled while the server was checking the file: nothing is sent.
    if (!alive(entry.id)) return;
    if (entry.disclaimerVersion !== null) {
      await client.call('files.acceptDisclaimer', {
        conversationId: entry.conversationId,
        version: entry.disclaimerVersion,
        fileId: info.id,
      });
    }
    const content = contentFor(entry.kind, info, entry.probe);
    await finish(entry.id);
    await sendContent(entry.conversationId, content, entry.clientId);
  } catch (err) {
    // Paused or cancelled by the user: the handle's promise rejects; that is not a failure.
    const view = useUploads.getState().byId[entry.id];
    if (!view || view.state === 'paused') return;
    if (codeOf(err) === 'CONFLICT' && entry.disclaimerVersion !== null) return reconfirm(entry);
    patchUpload(entry.id, { state: 'failed', error: codeOf(err) });
  }
}

/** The operator changed the disclaimer while the file uploaded: show the new text, then send or drop. */
async function reconfirm(entry: QueuedUpload): Promise<void> {
  // It applied when the user sent the file, so it still does: ask with the new text.
  const answer = await filePolicy()
    .then((policy) => confirmDisclaimer(policy.disclaimer, true))
    .catch(() => false as const);
  if (answer === false) return cancelUpload(entry.id);
  const next = { ...entry, disclaimerVersion: answer };
  await uploadQueue.patch(entry.id, { disclaimerVersion: answer }).catch(() => undefined);
  return run(next);
}

async function finish(id: string): Promise<void> {
  contents.delete(id);
  entries.delete(id);
  dropUpload(id);
  await uploadQueue.remove(id).catch(() => undefined);
}

export interface NewUpload {
  conversationId: string;
  blob: Blob;
  name: string;
  /** Default: chosen from the MIME type (image, video or file). */
  kind?: UploadKind;
  /** Voice: the recorded length. */
  durationMs?: number;
  disclaimerVersion: number | null;
}

/** Queue a file for a chat: it shows at once as an outgoing bubble with progress, then sends itself. */
export async function enqueueUpload(input: NewUpload): Promise<void> {
  const mime = input.blob.type || 'application/octet-stream';
  const kind = input.kind ?? sendKindOf(mime);
  const id = newClientId();
  const probe = input.durationMs ? { durationMs: input.durationMs } : {};
  const entry: QueuedUpload = {
    id,
    conversationId: input.conversationId,
    kind,
    name: input.name,
    mime,
    size: input.blob.size,
    blob: input.blob.size <= MAX_PERSISTED_BYTES ? input.blob : null,
    probe,
    clientId: newClientId(),
    disclaimerVersion: input.disclaimerVersion,
    fileId: null,
    createdAt: Date.now(),
  };
  contents.set(id, input.blob);
  entries.set(id, entry);
  putUpload({
    id,
    conversationId: entry.conversationId,
    kind,
    name: entry.name,
    mime,
    size: entry.size,
    loaded: 0,
    state: 'uploading',
    error: null,
    previewUrl: kind === 'image' ? URL.createObjectURL(input.blob) : null,
    durationMs: input.durationMs ?? null,
    createdAt: entry.createdAt,
  });
  entry.probe = { ...(await probeLocally(input.blob, kind)), ...probe };
  await uploadQueue.put(entry).catch(() => undefined);
  void withUploadLock(id, () => run(entry));
}

export function pauseUpload(id: string): void {
  const handle = running.get(id);
  if (!handle) return;
  patchUpload(id, { state: 'paused' });
  handle.pause();
}

export async function resumeUpload(id: string): Promise<void> {
  const handle = running.get(id);
  if (handle) {
    patchUpload(id, { state: 'uploading' });
    handle.resume();
    return;
  }
  const entry = entries.get(id);
  if (entry) void withUploadLock(id, () => run(entry));
}

/** Stop an upload and forget it: the server removes the partial (or finished, unsent) file. */
export async function cancelUpload(id: string): Promise<void> {
  const handle = running.get(id);
  const fileId = entries.get(id)?.fileId;
  dropUpload(id);
  running.delete(id);
  await finish(id);
  await handle?.abort();
  if (fileId) await client.call('files.delete', { id: fileId }).catch(() => undefined);
}

/** After a reload: the large file the user picked again (same name and size) resumes where it was. */
export async function provideFile(id: string, file: File): Promise<boolean> {
  const entry = entries.get(id);
  if (!entry || file.name !== entry.name || file.size !== entry.size) return false;
  contents.set(id, file);
  void withUploadLock(id, () => run(entry));
  return true;
}

/** Show this user's unfinished uploads again and continue them (called once signed in). */
export async function restoreUploads(userId: string): Promise<void> {
  uploadQueue.open(userId);
  const saved = await uploadQueue.all().catch(() => []);
  for (const entry of saved) {
    if (alive(entry.id)) continue;
    void withUploadLock(entry.id, () => {
      show(entry);
      return run(entry);
    });
  }
}

function show(entry: QueuedUpload): void {
  entries.set(entry.id, entry);
  putUpload({
    id: entry.id,
    conversationId: entry.conversationId,
    kind: entry.kind,
    name: entry.name,
    mime: entry.mime,
    size: entry.size,
    loaded: 0,
    state: 'uploading',
    error: null,
    previewUrl: entry.kind === 'image' && entry.blob ? URL.createObjectURL(entry.blob) : null,
    durationMs: entry.probe.durationMs ?? null,
    createdAt: entry.createdAt,
  });
}

/** Sign-out: stop every upload; with a user id, delete their queue too. */
export async function stopUploads(wipeFor: string | null): Promise<void> {
  for (const handle of running.values()) handle.pause();
  running.clear();
  contents.clear();
  entries.clear();
  resetUploads();
  await uploadQueue.close(wipeFor).catch(() => undefined);
}
