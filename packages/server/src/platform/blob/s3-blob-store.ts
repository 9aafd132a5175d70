import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
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

let sdkLoad: Promise<typeof S3Sdk> | undefined;

/**
 * The AWS SDK, loaded on first use: importing it costs each server process ~4.6 MiB of heap (a node
 * with 32 workers pays that 32 times), and most installations store files on disk.
 */
function s3Sdk(): Promise<typeof S3Sdk> {
  sdkLoad ??= import('@aws-sdk/client-s3');
  return sdkLoad;
}

/** Blobs as objects of one bucket. */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly bucket: string;
  private clientLoad: Promise<S3Client> | undefined;

  constructor(
    private readonly settings: S3Settings,
    client?: S3Client,
  ) {
    if (client) this.clientLoad = Promise.resolve(client);
    this.bucket = settings.bucket;
  }

  /** The SDK's command classes and this store's client (made on first use). */
  private async s3(): Promise<{ sdk: typeof S3Sdk; client: S3Client }> {
    const sdk = await s3Sdk();
    this.clientLoad ??= Promise.resolve(new sdk.S3Client(s3ClientConfig(this.settings)));
    return { sdk, client: await this.clientLoad };
  }

  async put(key: string, body: Readable | Buffer, size?: number): Promise<void> {
    assertBlobKey(key);
    if (Buffer.isBuffer(body) || size !== undefined) {
      const { sdk, client } = await this.s3();
      await client.send(
        new sdk.PutObjectCommand({
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
    const { sdk, client } = await this.s3();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: size,
      }),
    );
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    const { sdk, client } = await this.s3();
    const out = await client.send(
      new sdk.GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
    );
    return asReadable(out.Body);
  }

  async stat(key: string): Promise<BlobStat | null> {
    assertBlobKey(key);
    const { sdk, client } = await this.s3();
    try {
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
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
    const { sdk, client } = await this.s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
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
