import { SdkErrorCode, ZhixinError } from '../errors.ts';

/** A `fetch` that returns the platform's full `Response` (with a body stream), for binary downloads. */
export type BinaryFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface DownloadProgress {
  /** Bytes received so far. */
  loaded: number;
  /** The whole size when the server said it (Content-Length), else null. */
  total: number | null;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /**
   * Send `Authorization: Bearer <access token>` (for plain routes such as the audit export). Signed
   * file links need no token: leave it off for them.
   */
  bearer?: boolean;
}

export interface DownloadManagerOptions {
  baseUrl: string;
  fetch?: BinaryFetch;
  /** A valid access token (refreshed when needed), or undefined when signed out. */
  accessToken: () => Promise<string | undefined>;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

async function errorOf(res: Response): Promise<ZhixinError> {
  let body: ErrorBody | null = null;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP_${res.status}`;
  const message = typeof body?.error?.message === 'string' ? body.error.message : res.statusText;
  return new ZhixinError(code, message || `download failed (${res.status})`, {
    status: res.status,
    details: body?.error?.details,
  });
}

/**
 * Binary downloads: file contents from signed links (`client.files.link()`), and bearer-authorised
 * plain routes such as the audit export. Reports progress while the body streams in.
 */
export class DownloadManager {
  private readonly fetchFn: BinaryFetch;

  constructor(private readonly opts: DownloadManagerOptions) {
    this.fetchFn =
      opts.fetch ??
      ((url, init) => {
        if (typeof globalThis.fetch !== 'function')
          throw new TypeError('no global fetch: pass `fetch` in the options');
        return globalThis.fetch(url, init);
      });
  }

  /** An absolute URL for a server-relative one (links are relative: `/api/v1/files/...`). */
  resolve(url: string): string {
    return new URL(url, this.opts.baseUrl).toString();
  }

  /**
   * Download into a Blob, reporting progress. Throws {@link ZhixinError} with the server's code
   * (e.g. `LINK_INVALID`, `FILE_EXPIRED`) when it answers with an error.
   *
   * @example
   * const { url } = await client.files.link({ id: fileId, conversationId });
   * const blob = await client.downloads.blob(url, { onProgress: ({ loaded, total }) => bar(loaded, total) });
   */
  async blob(url: string, options: DownloadOptions = {}): Promise<Blob> {
    const headers: Record<string, string> = {};
    if (options.bearer) {
      const token = await this.opts.accessToken();
      if (!token) throw new ZhixinError('UNAUTHENTICATED', 'not logged in', { status: 0 });
      headers.authorization = `Bearer ${token}`;
    }
    let res: Response;
    try {
      res = await this.fetchFn(this.resolve(url), { method: 'GET', headers, signal: options.signal });
    } catch (err) {
      // An abort is the caller's own doing: it gets its AbortError back unchanged.
      if (options.signal?.aborted) throw err;
      throw new ZhixinError(SdkErrorCode.Network, err instanceof Error ? err.message : 'network error', {
        status: 0,
      });
    }
    if (!res.ok) throw await errorOf(res);
    const length = Number(res.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    const type = res.headers.get('content-type') ?? '';
    if (!res.body || !options.onProgress) {
      const whole = await res.blob();
      options.onProgress?.({ loaded: whole.size, total: total ?? whole.size });
      return whole;
    }
    const reader = res.body.getReader();
    const parts: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      loaded += value.byteLength;
      options.onProgress({ loaded, total });
    }
    return new Blob(parts as BlobPart[], { type });
  }
}
