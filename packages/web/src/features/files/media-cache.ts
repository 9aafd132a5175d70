import type { FileVariant } from '@zhixin/protocol';
import { ZhixinError } from '@zhixin/sdk';
import { client } from '../../app/client.ts';
import { myUserId } from '../../data/me.ts';
import { fileLink } from './links.ts';

/**
 * Media this device has already downloaded (thumbnails, voice, viewed images) in Cache Storage, one
 * cache per user, so chats show them again without the network. Signed links change every few
 * minutes, so entries are keyed by file id and variant, not by URL. Settings → Storage clears it.
 */
const CACHE_PREFIX = 'zhixin-media-';
/** Originals larger than this are not kept (a viewed 200 MB photo should not fill the disk). */
export const MAX_CACHED_BYTES = 25 * 1024 ** 2;

function cacheName(): string {
  return `${CACHE_PREFIX}${myUserId()}`;
}

function keyOf(fileId: string, variant: FileVariant): string {
  return `${window.location.origin}/__zx-media/${encodeURIComponent(fileId)}/${variant}`;
}

function hasCacheStorage(): boolean {
  return typeof caches !== 'undefined';
}

async function read(fileId: string, variant: FileVariant): Promise<Blob | null> {
  if (!hasCacheStorage()) return null;
  const hit = await (await caches.open(cacheName())).match(keyOf(fileId, variant));
  return hit ? hit.blob() : null;
}

async function write(fileId: string, variant: FileVariant, blob: Blob): Promise<void> {
  if (!hasCacheStorage() || blob.size > MAX_CACHED_BYTES) return;
  const headers = { 'content-type': blob.type || 'application/octet-stream' };
  await (await caches.open(cacheName())).put(keyOf(fileId, variant), new Response(blob, { headers }));
}

export interface MediaRequest {
  fileId: string;
  conversationId?: string;
  variant: FileVariant;
  onProgress?: (loaded: number, total: number | null) => void;
  signal?: AbortSignal;
}

const running = new Map<string, Promise<Blob>>();

/** A file's content from this device's cache, else downloaded through a fresh signed link (and kept). */
export function mediaBlob(r: MediaRequest): Promise<Blob> {
  const key = `${r.fileId}:${r.variant}`;
  const held = running.get(key);
  if (held && !r.onProgress) return held;
  const job = (async () => {
    const cachedBlob = await read(r.fileId, r.variant).catch(() => null);
    if (cachedBlob) return cachedBlob;
    const link = await fileLink({ fileId: r.fileId, conversationId: r.conversationId, variant: r.variant });
    const blob = await client.downloads.blob(link.url, {
      signal: r.signal,
      onProgress: r.onProgress ? (p) => r.onProgress?.(p.loaded, p.total) : undefined,
    });
    await write(r.fileId, r.variant, blob).catch(() => undefined);
    return blob;
  })().finally(() => running.delete(key));
  running.set(key, job);
  return job;
}

/** Whether a failure means the file is gone for good (retention or its owner removed it). */
export function isExpiredError(err: unknown): boolean {
  return err instanceof ZhixinError && (err.code === 'FILE_EXPIRED' || err.code === 'FILE_NOT_FOUND');
}

/** Bytes this user's media cache holds. */
export async function mediaCacheBytes(): Promise<number> {
  if (!hasCacheStorage() || !(await caches.has(cacheName()))) return 0;
  const cache = await caches.open(cacheName());
  let total = 0;
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response) total += (await response.blob()).size;
  }
  return total;
}

/** Empty this user's media cache; resolves with the bytes it held. */
export async function clearMediaCache(): Promise<number> {
  const bytes = await mediaCacheBytes();
  if (hasCacheStorage()) await caches.delete(cacheName());
  return bytes;
}
