import type { Readable } from 'node:stream';

/** An inclusive byte range, as HTTP `Range` names it. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStat {
  size: number;
}

/**
 * Where finished files live: local disk (the default) or an S3-compatible bucket. Keys are flat
 * names the files module makes (`<fileId>`, `<fileId>.thumb`); never user input.
 */
export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /** Store a stream under `key` (replacing any blob there); resolves once it is durable. */
  put(key: string, body: Readable | Buffer, size?: number): Promise<void>;
  /** Store a local file under `key` (replacing any blob there). */
  putFile(key: string, path: string): Promise<void>;
  /** Read the blob, or a byte range of it. Rejects when there is no such blob. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** The blob's size, or null when there is none. */
  stat(key: string): Promise<BlobStat | null>;
  exists(key: string): Promise<boolean>;
  /** Remove the blob; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /**
   * A path on local disk holding the blob's bytes, for tools that need a file (clamd, sharp, ffmpeg).
   * Disk: the blob itself (do not modify it). S3: a temporary copy, removed by `release()`.
   */
  localCopy(key: string): Promise<{ path: string; release(): Promise<void> }>;
}

/** Keys are made by the server; refuse anything that could leave the store's namespace. */
export function assertBlobKey(key: string): void {
  if (!/^[0-9A-Za-z][0-9A-Za-z._-]{0,127}$/.test(key) || key.includes('..')) {
    throw new Error(`invalid blob key ${JSON.stringify(key)}`);
  }
}
