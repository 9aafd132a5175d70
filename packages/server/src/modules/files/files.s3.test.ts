import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../platform/blob/index.ts';
import { Upload } from '@tus/utils';
import type { App } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { buildTestApp } from '../../testing/app.ts';
import { mustCall, registerUser } from '../../testing/factories.ts';
import { ListPartsProxy } from './files.s3.testing.ts';
import { createUploadStore } from './files.stores.ts';
import { pseudoRandomBytes, sha256, TusTestClient } from './files.testing.ts';

/**
 * The S3 path against a real S3 wire protocol: s3rver, a pure-Node S3-compatible server (no MinIO
 * package is installable here). It lacks ListParts, which @tus/s3-store needs after every create
 * and write; a small proxy (files.s3.testing.ts) answers that one call from the parts it saw go
 * through, so the whole tus flow runs on S3: multipart upload, settling, ranged download.
 */
describe('files on S3-compatible storage', () => {
  let s3: S3rver;
  let dir: string;
  let endpoint: string;
  let proxy: ListPartsProxy;
  let proxied: string;
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
    proxy = new ListPartsProxy({ host: '127.0.0.1', port });
    proxied = await proxy.start();
  });
  afterAll(async () => {
    await proxy.close();
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

  it('takes a tus upload of several parts into the bucket, settles it and serves byte ranges from it', async () => {
    const app: App = await buildTestApp({
      config: { files: { ...s3Config(), s3: { ...s3Config().s3, endpoint: proxied } } },
    });
    try {
      const base = `http://127.0.0.1:${await app.listen()}`;
      const alice = await registerUser(app);
      const tus = new TusTestClient(base, alice.accessToken);
      // 11 MiB in 3 MiB PATCHes: three 5 MiB-or-less parts, the last one written short.
      const data = pseudoRandomBytes(11 * 1024 * 1024, 9);
      const { id, res } = await tus.upload(
        data,
        { filename: '图纸.bin', filetype: 'application/octet-stream', sha256: sha256(data) },
        3 * 1024 * 1024,
      );
      expect(res.status).toBe(204);
      expect(proxy.listed).toBeGreaterThan(0);
      const info = await mustCall(app, 'files.get', { id }, alice.accessToken);
      expect(info).toMatchObject({ status: 'ready', size: data.length, sha256: sha256(data) });
      const blobs = new S3BlobStore(s3Config().s3);
      expect(await blobs.stat(id)).toEqual({ size: data.length });

      const link = await mustCall(app, 'files.link', { id }, alice.accessToken);
      const start = 5 * 1024 * 1024 - 10;
      const ranged = await fetch(base + link.url, { headers: { range: `bytes=${start}-${start + 99}` } });
      expect(ranged.status).toBe(206);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(data.subarray(start, start + 100))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
