import {
  UPLOAD_METADATA,
  type FileInfo,
  type FileLink,
  type FileLinkBody,
  type FilePolicy,
  type FileQuota,
  type FileSettings,
  type FileSettingsPatch,
} from '@zhixin/protocol';
import {
  defaultOptions,
  Upload,
  type DetailedError,
  type HttpRequest,
  type PreviousUpload,
  type UrlStorage,
} from 'tus-js-client';
import { ZhixinError } from '../errors.ts';
import type { Call } from '../transport.ts';

/** Where uploads go (tus 1.0), relative to the server's base URL. */
export const UPLOADS_PATH = '/api/v1/uploads';

/** What a file to upload may be: a browser `File`/`Blob`, or bytes (a Node `Buffer` is a Uint8Array). */
export type UploadSource = Blob | Uint8Array;

export interface UploadProgress {
  bytesSent: number;
  bytesTotal: number;
}

export interface UploadOptions {
  /** The name the receivers see (the server keeps only its last path segment). */
  name: string;
  /** The type the client believes it is; the server sniffs the content and corrects it. */
  mime?: string;
  /** The conversation the file is for (the uploader must be a member): who may read it follows from there. */
  conversationId?: string;
  /** Lowercase hex sha256 of the whole file: the server refuses the file (CHECKSUM_MISMATCH) if it differs. */
  sha256?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting it terminates the upload on the server (like `handle.abort()`). */
  signal?: AbortSignal;
  /** Bytes per PATCH request; default: the whole rest of the file in one request. */
  chunkSize?: number;
  /** Delays before retrying after a network failure or 5xx; default `[0, 1000, 3000, 5000, 10000]`. */
  retryDelays?: number[];
}

/** A running upload. */
export interface UploadHandle {
  /**
   * Resolves to the file once the server has checked it and it is `ready`; rejects with a
   * ZhixinError: FILE_TOO_LARGE, QUOTA_EXCEEDED, NOT_MEMBER, FILE_NAME_INVALID, CHECKSUM_MISMATCH,
   * FILE_REJECTED (scanner or inspection), ABORTED, or a network error after the retries.
   */
  readonly promise: Promise<FileInfo>;
  /** Stop sending; the server keeps what it got, `resume()` continues from there. */
  pause(): void;
  /** Continue a paused upload (after a reload, `upload()` the same file again: it resumes by itself). */
  resume(): void;
  /** Stop and delete the unfinished upload on the server; `promise` rejects with ABORTED. */
  abort(): Promise<void>;
  /** The file id, once the server created the upload (null before). */
  readonly fileId: string | null;
}

/** Upload URLs kept in memory (Node, tests): resuming works within the process. */
export class MemoryUrlStorage implements UrlStorage {
  private readonly uploads = new Map<string, PreviousUpload & { fingerprint: string }>();
  private next = 0;

  async findAllUploads(): Promise<PreviousUpload[]> {
    return [...this.uploads.values()];
  }

  async findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    return [...this.uploads.values()].filter((u) => u.fingerprint === fingerprint);
  }

  async removeUpload(urlStorageKey: string): Promise<void> {
    this.uploads.delete(urlStorageKey);
  }

  async addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `tus::${fingerprint}::${++this.next}`;
    this.uploads.set(key, { ...upload, urlStorageKey: key, fingerprint });
    return key;
  }
}

export interface FilesManagerOptions {
  baseUrl: string;
  call: Call;
  /** A valid access token (refreshed when needed), or undefined when signed out. */
  accessToken: () => Promise<string | undefined>;
  /** The signed-in user: part of the resume fingerprint, so people sharing a browser never mix uploads. */
  userId: () => string | undefined;
  /** Where unfinished uploads are remembered; default: localStorage in browsers, memory elsewhere. */
  urlStorage?: UrlStorage;
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

function isDetailed(err: Error): err is DetailedError {
  return 'originalResponse' in err;
}

/** The server's `{error:{code,message,details}}` of a failed tus request as a ZhixinError. */
function toZhixinError(err: Error): ZhixinError {
  if (err instanceof ZhixinError) return err;
  const res = isDetailed(err) ? err.originalResponse : null;
  if (!res) return new ZhixinError('NETWORK', err.message, { cause: err });
  let body: ErrorBody | null;
  try {
    body = JSON.parse(res.getBody()) as ErrorBody;
  } catch {
    body = null;
  }
  const status = res.getStatus();
  const code = typeof body?.error?.code === 'string' ? body.error.code : `HTTP_${status}`;
  const message = typeof body?.error?.message === 'string' ? body.error.message : err.message;
  return new ZhixinError(code, message, { status, details: body?.error?.details });
}

async function tusInput(source: UploadSource): Promise<Blob | Uint8Array> {
  // tus-js-client reads Blobs in browsers and Buffers in Node.
  const NodeBuffer = (globalThis as { Buffer?: { from(data: ArrayBuffer | Uint8Array): Uint8Array } }).Buffer;
  if (!NodeBuffer)
    return source instanceof Uint8Array ? new Blob([source as Uint8Array<ArrayBuffer>]) : source;
  if (source instanceof Uint8Array) return NodeBuffer.from(source);
  return NodeBuffer.from(await source.arrayBuffer());
}

/**
 * Files: resumable uploads (tus 1.0 over `/api/v1/uploads`), file records, short-lived download
 * links, quota, the policy clients follow, and the operator's file settings.
 */
export class FilesManager {
  private readonly urlStorage: UrlStorage;

  constructor(private readonly opts: FilesManagerOptions) {
    this.urlStorage =
      opts.urlStorage ??
      (typeof localStorage !== 'undefined' ? defaultOptions.urlStorage : new MemoryUrlStorage());
  }

  /**
   * Upload a file, resumably: a dropped connection is retried from the last byte the server has,
   * and uploading the same file again (same user, name, size; e.g. after a page reload) resumes the
   * unfinished upload. Every request carries a fresh access token.
   *
   * @example
   * const handle = client.files.upload(file, {
   *   name: file.name,
   *   mime: file.type,
   *   conversationId,
   *   onProgress: ({ bytesSent, bytesTotal }) => setPercent((100 * bytesSent) / bytesTotal),
   * });
   * pauseButton.onclick = () => handle.pause();
   * const info = await handle.promise; // { id, status: 'ready', sha256, mime, ... }
   */
  upload(source: UploadSource, options: UploadOptions): UploadHandle {
    let upload: Upload | null = null;
    let paused = false;
    let aborted = false;
    let settle: { resolve(info: FileInfo): void; reject(err: ZhixinError): void } | null = null;
    const promise = new Promise<FileInfo>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // A rejection nobody awaits yet (e.g. after abort()) is not an unhandled one: callers await `promise`.
    promise.catch(() => undefined);
    const fail = (err: ZhixinError) => settle?.reject(err);
    let url: string | null = null;
    let input: Blob | Uint8Array | null = null;
    const fileIdOf = () => (url ? url.split('/').pop()!.split('?')[0]! : null);
    const metadata: Record<string, string> = { [UPLOAD_METADATA.name]: options.name };
    if (options.mime) metadata[UPLOAD_METADATA.mime] = options.mime;
    if (options.sha256) metadata[UPLOAD_METADATA.sha256] = options.sha256;
    if (options.conversationId) metadata[UPLOAD_METADATA.conversationId] = options.conversationId;
    const user = this.opts.userId() ?? 'anonymous';
    const authorize = async (req: HttpRequest) => {
      const token = await this.opts.accessToken();
      if (token) req.setHeader('Authorization', `Bearer ${token}`);
    };

    // A fresh tus Upload per (re)start: resuming a paused one continues from the URL through a new
    // object, so no callback of the aborted request can act on the resumed one.
    const makeUpload = (bytes: Blob | Uint8Array, uploadUrl: string | null): Upload => {
      const current: Upload = new Upload(bytes as Blob, {
        endpoint: this.opts.baseUrl.replace(/\/$/, '') + UPLOADS_PATH,
        ...(uploadUrl ? { uploadUrl } : {}),
        metadata,
        urlStorage: this.urlStorage,
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        fingerprint: async (file, o) =>
          `zhixin:${user}:${options.conversationId ?? ''}:${options.name}:${await defaultOptions.fingerprint(file, o)}`,
        ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
        retryDelays: options.retryDelays ?? [0, 1000, 3000, 5000, 10000],
        onBeforeRequest: authorize,
        onUploadUrlAvailable: () => {
          if (upload === current) url = current.url;
        },
        onProgress: (bytesSent, bytesTotal) => {
          if (upload === current) options.onProgress?.({ bytesSent, bytesTotal });
        },
        onError: (err) => {
          if (upload === current) fail(toZhixinError(err));
        },
        onSuccess: () => {
          if (upload !== current) return;
          url = current.url;
          const id = fileIdOf();
          if (!id) return fail(new ZhixinError('FILE_NOT_FOUND', 'the server gave no upload URL'));
          this.get(id).then((info) => {
            if (info.status === 'ready') settle?.resolve(info);
            else if (info.status === 'rejected')
              fail(new ZhixinError('FILE_REJECTED', info.reason ?? 'rejected', { details: info }));
            else fail(new ZhixinError('FILE_NOT_READY', `file is ${info.status}`, { details: info }));
          }, fail);
        },
      });
      return current;
    };

    const start = async () => {
      input = await tusInput(source);
      const first = (upload = makeUpload(input, null));
      const previous = await first.findPreviousUploads();
      if (previous[0]) first.resumeFromPreviousUpload(previous[0]);
      if (!paused && !aborted) first.start();
    };

    const handle: UploadHandle = {
      promise,
      get fileId() {
        return fileIdOf();
      },
      pause() {
        if (paused || aborted) return;
        paused = true;
        void upload?.abort(false);
      },
      resume() {
        if (aborted || !paused) return;
        paused = false;
        if (!input) return; // still preparing: start() sees `paused` is false again and starts
        const next = (upload = makeUpload(input, url));
        next.start();
      },
      async abort() {
        if (aborted) return;
        aborted = true;
        fail(new ZhixinError('ABORTED', 'upload aborted'));
        // Terminating also deletes the unfinished upload on the server (tus DELETE).
        if (upload) await upload.abort(url !== null).catch(() => undefined);
      },
    };
    options.signal?.addEventListener('abort', () => void handle.abort(), { once: true });
    start().catch((err: Error) => fail(toZhixinError(err)));
    return handle;
  }

  /**
   * A file I uploaded, or one sent in a conversation I am in (name it as `conversationId`).
   * @example
   * const info = await client.files.get(fileId, conversationId);
   */
  get(id: string, conversationId?: string): Promise<FileInfo> {
    return this.opts.call('files.get', conversationId ? { id, conversationId } : { id });
  }

  /**
   * A short-lived signed URL (relative to the server) for `<img>`, `<video>` or a download; it
   * needs no token and supports HTTP Range. Ask again once it expires (`expiresAt`).
   * @example
   * const { url } = await client.files.link(fileId, { conversationId, disposition: 'inline' });
   * img.src = new URL(url, baseUrl).href;
   */
  link(id: string, options: Omit<FileLinkBody, 'id'> = {}): Promise<FileLink> {
    return this.opts.call('files.link', { id, ...options });
  }

  /**
   * Delete a file I uploaded (or give up my unfinished upload).
   * @example
   * await client.files.delete(fileId);
   */
  async delete(id: string): Promise<void> {
    await this.opts.call('files.delete', { id });
  }

  /**
   * My storage use and limits.
   * @example
   * const { usedBytes, limitBytes, maxFileBytes } = await client.files.quota();
   */
  quota(): Promise<FileQuota> {
    return this.opts.call('files.quota', {});
  }

  /**
   * What to check before sending: the disclaimer, the size limit, the retention.
   * @example
   * const { disclaimer, maxFileBytes } = await client.files.policy();
   */
  policy(): Promise<FilePolicy> {
    return this.opts.call('files.policy', {});
  }

  /**
   * The operator's file settings (operators and administrators).
   * @example
   * const settings = await client.files.settings();
   */
  settings(): Promise<FileSettings> {
    return this.opts.call('files.settings', {});
  }

  /**
   * Change some file settings (operators and administrators; audited). Changing the disclaimer
   * text bumps its version, so everyone accepts the new text again.
   * @example
   * await client.files.updateSettings({ quotaBytesPerUser: 10 * 1024 ** 3, retention: { groupDays: 180 } });
   */
  updateSettings(patch: FileSettingsPatch): Promise<FileSettings> {
    return this.opts.call('files.updateSettings', patch);
  }
}
