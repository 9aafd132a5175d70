import { describe, expect, it } from 'vitest';
import { ZhixinError } from '../errors.ts';
import { AuditManager } from './audit-manager.ts';
import { DownloadManager, type BinaryFetch, type DownloadProgress } from './download-manager.ts';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      controller.close();
    },
  });
}

function recorder(respond: () => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: BinaryFetch = async (url, init) => {
    calls.push({ url, init });
    return respond();
  };
  return { calls, fetch };
}

describe('DownloadManager', () => {
  it('streams a body into a Blob, reporting progress against Content-Length', async () => {
    const { calls, fetch } = recorder(
      () =>
        new Response(streamOf([new Uint8Array(3).fill(1), new Uint8Array(5).fill(2)]), {
          headers: { 'content-length': '8', 'content-type': 'image/png' },
        }),
    );
    const downloads = new DownloadManager({ baseUrl: 'http://zx.test', fetch, accessToken: async () => 't' });
    const seen: DownloadProgress[] = [];
    const blob = await downloads.blob('/api/v1/files/f1/content?sig=x', { onProgress: (p) => seen.push(p) });
    expect(blob.size).toBe(8);
    expect(blob.type).toBe('image/png');
    expect(seen).toEqual([
      { loaded: 3, total: 8 },
      { loaded: 8, total: 8 },
    ]);
    expect(calls[0]?.url).toBe('http://zx.test/api/v1/files/f1/content?sig=x');
    // A signed link carries its own authority: no bearer token goes with it.
    expect(calls[0]?.init.headers).toEqual({});
  });

  it("turns the server's error body into a ZhixinError with its code", async () => {
    const { fetch } = recorder(
      () =>
        new Response(JSON.stringify({ error: { code: 'FILE_EXPIRED', message: 'gone' } }), {
          status: 410,
          headers: { 'content-type': 'application/json' },
        }),
    );
    const downloads = new DownloadManager({ baseUrl: 'http://zx.test', fetch, accessToken: async () => 't' });
    const err = await downloads.blob('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZhixinError);
    expect((err as ZhixinError).code).toBe('FILE_EXPIRED');
    expect((err as ZhixinError).status).toBe(410);
  });

  it('sends the bearer token only when asked, and refuses without a session', async () => {
    const { calls, fetch } = recorder(() => new Response('a,b\n'));
    let token: string | undefined = 'tok-1';
    const downloads = new DownloadManager({
      baseUrl: 'http://zx.test',
      fetch,
      accessToken: async () => token,
    });
    await downloads.blob('/api/v1/audit/export?format=csv', { bearer: true });
    expect(calls[0]?.init.headers).toEqual({ authorization: 'Bearer tok-1' });
    token = undefined;
    await expect(downloads.blob('/x', { bearer: true })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('AuditManager.exportUrl', () => {
  it('puts only the given filters in the query', () => {
    const audit = new AuditManager(
      () => Promise.reject(new Error('no calls here')),
      new DownloadManager({ baseUrl: 'http://zx.test', accessToken: async () => undefined }),
    );
    expect(audit.exportUrl({ format: 'csv', category: 'file', subject: '', from: 10 })).toBe(
      '/api/v1/audit/export?format=csv&category=file&from=10',
    );
  });
});
