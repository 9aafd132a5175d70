import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomToken } from '../ids.ts';
import { assertBlobKey, type BlobStat, type BlobStore, type ByteRange } from './blob-store.ts';

/** Blobs as files in one directory (`<dataDir>/files`); writes go to a temp name, then rename. */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk' as const;

  constructor(readonly directory: string) {}

  /** The file holding `key` (the tus file store writes uploads to the same place). */
  pathOf(key: string): string {
    assertBlobKey(key);
    return join(this.directory, key);
  }

  private async tempPath(): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    return join(this.directory, `.tmp-${randomToken(12)}`);
  }

  async put(key: string, body: Readable | Buffer): Promise<void> {
    const target = this.pathOf(key);
    const temp = await this.tempPath();
    try {
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(temp));
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async putFile(key: string, path: string): Promise<void> {
    const target = this.pathOf(key);
    const temp = await this.tempPath();
    try {
      await copyFile(path, temp);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(key);
    await stat(path);
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const s = await stat(this.pathOf(key));
      return { size: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const path = this.pathOf(key);
    await stat(path);
    return { path, release: async () => undefined };
  }
}
