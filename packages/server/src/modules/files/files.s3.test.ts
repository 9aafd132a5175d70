import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../platform/blob/index.ts';
import { Upload } from '@tus/utils';
import { loadConfig } from '../../config.ts';
import { createUploadStore } from './files.stores.ts';
import { pseudoRandomBytes } from './files.testing.ts';

/**
 * The S3 path against a real S3 wire protocol: s3rver, a pure-Node S3-compatible server (no MinIO
 * package is installable here). It lacks ListParts, which @tus/s3-store needs after every create
 * and write, so the whole tus flow on S3 cannot run against it: the blob store is tested in full,
 * the upload store as far as s3rver goes (creating the multipart upload and its record).
 */
describe('files on S3-compatible storage', () => {
  let s3: S3rver;
  let dir: string;
  let endpoint: string;
  const s3Config = () => ({
    storage: 's3' as const,
    s3: {
      endpoint,
      bucket: 'zx-test',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      region: 'us-east-1',
      forcePathStyle: true,
      partSizeBytes: 5 * 1024 * 1024,
    },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zx-s3-'));
    s3 = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'zx-test' }],
    });
    const { port } = await s3.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the blob store puts, stats, reads ranges and deletes objects', async () => {
    const blobs = new S3BlobStore(s3Config().s3);
    const data = pseudoRandomBytes(100_000, 2);
    await blobs.put('blob1', data);
    expect(await blobs.stat('blob1')).toEqual({ size: data.length });
    const chunks: Buffer[] = [];
    for await (const c of await blobs.read('blob1', { start: 10, end: 19 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(data.subarray(10, 20));
    const copy = await blobs.localCopy('blob1');
    await copy.release();
    await blobs.delete('blob1');
    expect(await blobs.exists('blob1')).toBe(false);
    expect(await blobs.stat('blob1')).toBeNull();
  });

  it('the tus S3 upload store starts a multipart upload and writes its record to the configured bucket', async () => {
    const config = { ...loadConfig({ env: {}, file: '' }).files, ...s3Config() };
    const { store } = createUploadStore(config, new S3BlobStore(config.s3));
    const upload = new Upload({
      id: 'UPLOADTEST1',
      size: 6 * 1024 * 1024,
      offset: 0,
      metadata: { filename: 'x' },
    });
    await store.create(upload);
    const blobs = new S3BlobStore(config.s3);
    expect(await blobs.exists('UPLOADTEST1.info')).toBe(true);
  });
});
