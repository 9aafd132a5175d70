import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { assertBlobKey, type BlobStat, type BlobStore, type ByteRange } from './blob-store.ts';

/** What the config says about the bucket (config `files.s3`). */
export interface S3Settings {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/**
 * The S3 client configuration for an on-premises S3-compatible server. Checksums are only sent
 * when an operation requires them: many such servers reject the SDK's default CRC32 trailers.
 */
export function s3ClientConfig(s: S3Settings): S3ClientConfig {
  return {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.accessKeyId
      ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } }
      : {}),
  };
}

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

function asReadable(body: unknown): Readable {
  if (body instanceof Readable) return body;
  throw new Error('S3 returned a body that is not a Node stream');
}

/** Blobs as objects of one bucket. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  readonly bucket: string;

  constructor(settings: S3Settings, client?: S3Client) {
    this.client = client ?? new S3Client(s3ClientConfig(settings));
    this.bucket = settings.bucket;
  }

  async put(key: string, body: Readable | Buffer, size?: number): Promise<void> {
    assertBlobKey(key);
    if (Buffer.isBuffer(body) || size !== undefined) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: Buffer.isBuffer(body) ? body.length : size,
        }),
      );
      return;
    }
    // A PUT needs its length up front: spool a stream of unknown length to a temporary file.
    const dir = await mkdtemp(join(tmpdir(), 'zx-s3-put-'));
    try {
      const path = join(dir, 'body');
      await pipeline(body, createWriteStream(path));
      await this.putFile(key, path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async putFile(key: string, path: string): Promise<void> {
    assertBlobKey(key);
    const { size } = await stat(path);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: size,
      }),
    );
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
    );
    return asReadable(out.Body);
  }

  async stat(key: string): Promise<BlobStat | null> {
    assertBlobKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0 };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async localCopy(key: string): Promise<{ path: string; release(): Promise<void> }> {
    const dir = await mkdtemp(join(tmpdir(), 'zx-s3-get-'));
    const path = join(dir, 'blob');
    try {
      await pipeline(await this.read(key), createWriteStream(path));
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return { path, release: () => rm(dir, { recursive: true, force: true }) };
  }
}
