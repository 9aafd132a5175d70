import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore } from '@tus/utils';
import type { Config } from '../../config.ts';
import { DiskBlobStore, s3ClientConfig, type BlobStore } from '../../platform/blob/index.ts';

/** The S3 upload store with a settable expiration (the operator changes it at runtime). */
export class ExpiringS3Store extends S3Store {
  setExpiration(ms: number): void {
    this.expirationPeriodInMilliseconds = ms;
  }
}

export interface UploadStore {
  store: DataStore;
  setExpiration(ms: number): void;
}

/**
 * The tus upload store, writing where the blob store reads: `<dir>/<id>` on disk (with the tus
 * record beside it as `<id>.json`), or the object `<id>` in the bucket (record `<id>.info`).
 */
export function createUploadStore(files: Config['files'], blobs: BlobStore): UploadStore {
  if (blobs instanceof DiskBlobStore) {
    const store = new FileStore({ directory: blobs.directory });
    return {
      store,
      setExpiration: (ms) => {
        store.expirationPeriodInMilliseconds = ms;
      },
    };
  }
  const store = new ExpiringS3Store({
    partSize: files.s3.partSizeBytes,
    // Object tags are optional in S3-compatible servers; expiry is our cleanup job's work.
    useTags: false,
    s3ClientConfig: { ...s3ClientConfig(files.s3), bucket: files.s3.bucket },
  });
  return { store, setExpiration: (ms) => store.setExpiration(ms) };
}
