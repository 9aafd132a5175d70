import { describe, expect, it } from 'vitest';
import { FilesManager, MemoryUrlStorage } from './files-manager.ts';

const previous = (url: string) => ({
  size: 10,
  metadata: { filename: 'a.txt' },
  creationTime: '2026-01-01T00:00:00Z',
  urlStorageKey: '',
  uploadUrl: url,
  parallelUploadUrls: null,
});

describe('MemoryUrlStorage', () => {
  it('remembers unfinished uploads by fingerprint until removed', async () => {
    const storage = new MemoryUrlStorage();
    const k1 = await storage.addUpload('fp-a', previous('/api/v1/uploads/A'));
    await storage.addUpload('fp-b', previous('/api/v1/uploads/B'));
    expect((await storage.findUploadsByFingerprint('fp-a')).map((u) => u.uploadUrl)).toEqual([
      '/api/v1/uploads/A',
    ]);
    expect(await storage.findAllUploads()).toHaveLength(2);
    await storage.removeUpload(k1);
    expect(await storage.findUploadsByFingerprint('fp-a')).toEqual([]);
  });
});

describe('FilesManager.upload', () => {
  it('rejects with ABORTED when aborted before the server answered, and calls nothing afterwards', async () => {
    const calls: string[] = [];
    const files = new FilesManager({
      baseUrl: 'http://127.0.0.1:9',
      call: async (name) => {
        calls.push(name);
        throw new Error('unexpected call');
      },
      accessToken: async () => 'token',
      userId: () => 'u1',
      urlStorage: new MemoryUrlStorage(),
    });
    const handle = files.upload(new Uint8Array([1, 2, 3]), { name: 'a.bin', retryDelays: [] });
    await handle.abort();
    await expect(handle.promise).rejects.toMatchObject({ code: 'ABORTED' });
    expect(handle.fileId).toBeNull();
    expect(calls).toEqual([]);
  });

  it('reports a network failure as a ZhixinError once the retries are spent', async () => {
    const files = new FilesManager({
      baseUrl: 'http://127.0.0.1:9',
      call: async () => {
        throw new Error('unexpected call');
      },
      accessToken: async () => 'token',
      userId: () => 'u1',
    });
    await expect(
      files.upload(new Uint8Array([1]), { name: 'a.bin', retryDelays: [] }).promise,
    ).rejects.toMatchObject({
      name: 'ZhixinError',
    });
  });
});
