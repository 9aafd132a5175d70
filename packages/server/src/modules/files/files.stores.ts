import type { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { S3Store } from '@tus/s3-store';
import { DataStore, type Upload } from '@tus/utils';
import type { Config } from '../../config.ts';
import { DiskBlobStore, s3ClientConfig, type BlobStore } from '../../platform/blob/index.ts';

export interface UploadStore {
  store: DataStore;
  setExpiration(ms: number): void;
}

type S3StoreOptions = ConstructorParameters<typeof S3Store>[0];
type ExpiringS3Store = S3Store & { setExpiration(ms: number): void };

/**
 * The tus S3 store, loaded on first use: @tus/s3-store brings the AWS SDK, ~5 MiB of heap in every
 * server process (a node with 32 workers pays that 32 times) that a disk installation never uses.
 * It answers what the tus server asks of a store (the S3 store's extensions, its expiration) at
 * once and hands every operation to the real store once loaded.
 */
class DeferredS3Store extends DataStore {
  private loaded: Promise<ExpiringS3Store> | undefined;
  private expirationMs = 0;

  constructor(private readonly options: S3StoreOptions) {
    super();
    // The extensions @tus/s3-store's S3Store declares (asked before any upload, so not loaded).
    this.extensions = [
      'creation',
      'creation-with-upload',
      'creation-defer-length',
      'termination',
      'expiration',
    ];
  }

  private real(): Promise<ExpiringS3Store> {
    this.loaded ??= import('@tus/s3-store').then(({ S3Store: Store }) => {
      // The operator changes the expiration at runtime; the store keeps it in a protected field.
      class Expiring extends Store {
        setExpiration(ms: number): void {
          this.expirationPeriodInMilliseconds = ms;
        }
      }
      return new Expiring({ ...this.options, expirationPeriodInMilliseconds: this.expirationMs });
    });
    return this.loaded;
  }

  setExpiration(ms: number): void {
    this.expirationMs = ms;
    void this.loaded?.then((s) => s.setExpiration(ms));
  }

  override getExpiration(): number {
    return this.expirationMs;
  }

  override async create(upload: Upload): Promise<Upload> {
    return (await this.real()).create(upload);
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    return (await this.real()).write(stream, id, offset);
  }

  override async getUpload(id: string): Promise<Upload> {
    return (await this.real()).getUpload(id);
  }

  override async declareUploadLength(id: string, length: number): Promise<void> {
    return (await this.real()).declareUploadLength(id, length);
  }

  override async remove(id: string): Promise<void> {
    return (await this.real()).remove(id);
  }

  override async deleteExpired(): Promise<number> {
    return (await this.real()).deleteExpired();
  }

  async read(id: string): Promise<Readable> {
    return (await this.real()).read(id);
  }
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
  const store = new DeferredS3Store({
    partSize: files.s3.partSizeBytes,
    // Object tags are optional in S3-compatible servers; expiry is our cleanup job's work.
    useTags: false,
    s3ClientConfig: { ...s3ClientConfig(files.s3), bucket: files.s3.bucket },
  });
  return { store, setExpiration: (ms) => store.setExpiration(ms) };
}
