import { createHash, randomBytes } from 'node:crypto';
import { FilesManager, MemoryUrlStorage, ZhixinError, type ZhixinClient } from '@zhixin/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClient, signUp, startServer, type RunningServer } from './support.ts';
import { targets } from './targets.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(targets())('file uploads through the SDK on $name', ({ options }) => {
  let server: RunningServer;
  let alice: ZhixinClient;

  beforeAll(async () => {
    server = await startServer(options);
    alice = newClient(server, 'alice');
    await signUp(server, alice, 'alice');
  });
  const uploader = (urlStorage: MemoryUrlStorage) =>
    new FilesManager({
      baseUrl: server.baseUrl,
      call: (name, request) => alice.call(name, request),
      accessToken: async () => alice.session?.tokens.accessToken,
      userId: () => alice.session?.userId,
      urlStorage,
    });

  afterAll(async () => {
    await alice.close();
    await server.app.close();
  });

  it('uploads with progress, resolves to the ready file, and downloads it through a signed link', async () => {
    const data = randomBytes(1_500_000);
    const progress: number[] = [];
    const handle = alice.files.upload(data, {
      name: 'report.bin',
      mime: 'application/octet-stream',
      sha256: sha256(data),
      chunkSize: 512 * 1024,
      onProgress: ({ bytesSent, bytesTotal }) => {
        expect(bytesTotal).toBe(data.length);
        progress.push(bytesSent);
      },
    });
    const info = await handle.promise;
    expect(info).toMatchObject({
      status: 'ready',
      size: data.length,
      sha256: sha256(data),
      name: 'report.bin',
    });
    expect(handle.fileId).toBe(info.id);
    expect(progress.at(-1)).toBe(data.length);
    const { url } = await alice.files.link(info.id);
    const res = await fetch(new URL(url, server.baseUrl));
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(data));
    expect((await alice.files.quota()).usedBytes).toBeGreaterThanOrEqual(data.length);
  });

  it('resumes an unfinished upload remembered in its storage (a reload) instead of starting over', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const endpoint = `${server.baseUrl}/api/v1/uploads`;
    const token = alice.session!.tokens.accessToken;
    // The page that was reloaded: it created the upload and sent the first MiB.
    const created = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'tus-resumable': '1.0.0',
        authorization: `Bearer ${token}`,
        'upload-length': String(data.length),
        'upload-metadata': `filename ${Buffer.from('reload.bin').toString('base64')}`,
      },
    });
    const uploadUrl = new URL(created.headers.get('location')!, endpoint).href;
    const first = await fetch(uploadUrl, {
      method: 'PATCH',
      headers: {
        'tus-resumable': '1.0.0',
        authorization: `Bearer ${token}`,
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
      },
      body: new Uint8Array(data.subarray(0, 1024 * 1024)),
    });
    expect(first.status).toBe(204);
    // What it left in its storage (the fingerprint the SDK computes for this user, name and bytes).
    const urlStorage = new MemoryUrlStorage();
    const md5 = createHash('md5')
      .update(data.subarray(0, 64 * 1024))
      .digest('hex');
    await urlStorage.addUpload(
      `zhixin:${alice.session!.userId}::reload.bin:node-buffer-${md5}-${data.length}-${endpoint}`,
      {
        size: data.length,
        metadata: {},
        creationTime: new Date().toISOString(),
        urlStorageKey: '',
        uploadUrl,
        parallelUploadUrls: null,
      },
    );
    const seen: number[] = [];
    const done = await uploader(urlStorage).upload(data, {
      name: 'reload.bin',
      chunkSize: 1024 * 1024,
      onProgress: ({ bytesSent }) => seen.push(bytesSent),
    }).promise;
    expect(done.id).toBe(uploadUrl.split('/').pop());
    expect(done.sha256).toBe(sha256(data));
    expect(seen[0]).toBeGreaterThanOrEqual(1024 * 1024);
    expect(await urlStorage.findAllUploads()).toEqual([]);
  });

  it('rejects with the server error code: a wrong checksum, and an upload to a conversation I am not in', async () => {
    const data = randomBytes(1000);
    await expect(
      alice.files.upload(data, { name: 'x.bin', sha256: sha256(randomBytes(4)) }).promise,
    ).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      status: 460,
    });
    const err = await alice.files
      .upload(data, { name: 'x.bin', conversationId: '01J00000000000000000000000' })
      .promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZhixinError);
    expect(err).toMatchObject({ code: 'NOT_MEMBER', status: 403 });
  });

  it('aborts: the promise rejects with ABORTED and the server drops the upload', async () => {
    const data = randomBytes(32 * 1024 * 1024);
    const handle = alice.files.upload(data, { name: 'gone.bin', chunkSize: 128 * 1024 });
    await expect.poll(() => handle.fileId, { timeout: 10_000 }).not.toBeNull();
    const id = handle.fileId!;
    await handle.abort();
    await expect(handle.promise).rejects.toMatchObject({ code: 'ABORTED' });
    await expect.poll(async () => (await alice.files.get(id)).status, { timeout: 10_000 }).toBe('deleted');
  });
});
