import { join } from 'node:path';
import type { Config } from '../../config.ts';
import type { BlobStore } from './blob-store.ts';
import { DiskBlobStore } from './disk-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

export type { BlobStat, BlobStore, ByteRange } from './blob-store.ts';
export { assertBlobKey } from './blob-store.ts';
export { DiskBlobStore } from './disk-blob-store.ts';
export { S3BlobStore, s3ClientConfig, type S3Settings } from './s3-blob-store.ts';

/** The directory of the disk store: `<dataDir>/files`. */
export function diskBlobDirectory(config: Config): string {
  return join(config.dataDir, 'files');
}

/** The blob store the config names (`files.storage`). */
export function createBlobStore(config: Config): BlobStore {
  return config.files.storage === 's3'
    ? new S3BlobStore(config.files.s3)
    : new DiskBlobStore(diskBlobDirectory(config));
}
