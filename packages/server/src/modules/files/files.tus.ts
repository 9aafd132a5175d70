import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { API_PREFIX, ErrorCatalog, type ErrorCode } from '@zhixin/protocol';
import { Server, type ServerOptions } from '@tus/server';
import { EVENTS, type DataStore } from '@tus/utils';
import type { FastifyInstance } from 'fastify';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import { AppError, isAppError } from '../../errors.ts';
import type { Authenticator } from '../../http/principal.ts';
import { randomToken } from '../../platform/ids.ts';
import type { UploadCaller } from './files.finish.ts';

/** Where tus lives. */
export const UPLOADS_PATH = `${API_PREFIX}/uploads`;

/** What the tus server asks of the files service. */
export interface UploadHooks {
  /** Validate a new upload and record it (throws AppError); returns the id to use. */
  create(
    caller: UploadCaller,
    id: string,
    size: number | undefined,
    metadata: Record<string, string | null>,
  ): Promise<void>;
  /** The upload's bytes are all there: settle it (throws AppError to fail the final PATCH). */
  finish(caller: UploadCaller, id: string, metadata: Record<string, string | null>): Promise<void>;
  /** The client terminated its unfinished upload. */
  terminated(caller: UploadCaller, id: string): Promise<void>;
  /** Whether `userId` owns the upload `id` (unknown ids: false). */
  owns(userId: string, id: string): Promise<boolean>;
  /** The largest upload accepted now. */
  maxSize(): Promise<number>;
  /** Milliseconds after which an unfinished upload expires (the tus expiration extension). */
  expirationMs(): Promise<number>;
  newId(): string;
}

const TUS_STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'FILE_NOT_FOUND',
  409: 'CONFLICT',
  410: 'FILE_EXPIRED',
  412: 'BAD_REQUEST',
  413: 'FILE_TOO_LARGE',
  415: 'BAD_REQUEST',
  460: 'CHECKSUM_MISMATCH',
};

/** Our `{error:{code,message}}` body for a tus-level or AppError failure. */
function errorBody(err: Error | { status_code: number; body: string }): {
  status_code: number;
  body: string;
} {
  if (isAppError(err)) return { status_code: err.status, body: JSON.stringify(err.toBody()) };
  const status = 'status_code' in err ? err.status_code : 500;
  const code: ErrorCode = TUS_STATUS_CODES[status] ?? 'INTERNAL';
  const message = 'body' in err && err.body ? err.body.trim() : ErrorCatalog[code].message;
  return { status_code: status, body: JSON.stringify({ error: { code, message } }) };
}

function sendError(res: ServerResponse, err: AppError): void {
  const body = JSON.stringify(err.toBody());
  res.writeHead(err.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'tus-resumable': '1.0.0',
  });
  res.end(body);
}

function bearer(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
}

/** The upload id of `/api/v1/uploads/<id>`, '' for the collection, null for anything else. */
function uploadIdOf(url: string): string | null {
  const path = url.split('?')[0]!;
  if (path === UPLOADS_PATH || path === `${UPLOADS_PATH}/`) return '';
  const m = /^\/api\/v1\/uploads\/([0-9A-Za-z]{1,64})$/.exec(path);
  return m ? m[1]! : null;
}

/**
 * The tus 1.0 server (creation, creation-with-upload, termination, expiration) plus the checksum
 * extension, which @tus/server lacks: a PATCH with `Upload-Checksum: sha1|sha256 <base64>` is
 * spooled to a temporary file while hashed, and only handed to the store when it matches (460
 * otherwise, nothing written).
 */
export class UploadEndpoint {
  private readonly callers = new WeakMap<object, UploadCaller>();
  private readonly tus: Server;

  constructor(
    store: DataStore,
    private readonly setExpiration: (ms: number) => void,
    private readonly hooks: UploadHooks,
    private readonly authenticator: () => Authenticator,
    private readonly spoolDir: string,
  ) {
    const callerOf = (req: object): UploadCaller => {
      const caller = this.callers.get(req);
      if (!caller) throw new AppError('UNAUTHENTICATED');
      return caller;
    };
    const options: Omit<ServerOptions, 'locker'> & { datastore: DataStore } = {
      path: UPLOADS_PATH,
      datastore: store,
      relativeLocation: true,
      disableTerminationForFinishedUploads: true,
      namingFunction: () => hooks.newId(),
      maxSize: () => hooks.maxSize(),
      exposedHeaders: ['Upload-Checksum'],
      allowedHeaders: ['Authorization', 'Upload-Checksum'],
      onUploadCreate: async (req, upload) => {
        await hooks.create(callerOf(req), upload.id, upload.size, upload.metadata ?? {});
        return {};
      },
      onUploadFinish: async (req, upload) => {
        await hooks.finish(callerOf(req), upload.id, upload.metadata ?? {});
        return {};
      },
      onResponseError: (_req, err) => errorBody(err),
    };
    this.tus = new Server(options);
    this.tus.on(EVENTS.POST_TERMINATE, (req: object, _res: Response, id: string) => {
      const caller = this.callers.get(req);
      if (caller) void hooks.terminated(caller, id);
    });
  }

  /** Remove an upload from the upload store (bytes and record); no error when it is gone. */
  async discard(id: string): Promise<void> {
    try {
      await this.tus.datastore.remove(id);
    } catch {
      // Already gone.
    }
  }

  /** One HTTP request under /api/v1/uploads. */
  async handle(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    try {
      await this.dispatch(req, res, ip);
    } catch (err) {
      if (res.headersSent) res.destroy();
      else sendError(res, isAppError(err) ? err : new AppError('INTERNAL'));
      if (!isAppError(err)) throw err;
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, ip: string): Promise<void> {
    const id = uploadIdOf(req.url ?? '');
    if (id === null) throw new AppError('FILE_NOT_FOUND');
    // tus creates at the collection only: a POST to an upload's URL would otherwise make another upload.
    if (req.method === 'POST' && id !== '') throw new AppError('FILE_NOT_FOUND');
    if (req.method === 'OPTIONS') return this.forward(new NodeRequest({ req, res }), res);
    const token = bearer(req);
    if (!token) throw new AppError('UNAUTHENTICATED');
    const principal = await this.authenticator().verifyAccessToken(token);
    const caller: UploadCaller = { userId: principal.userId, sessionId: principal.sessionId, ip };
    if (id && !(await this.hooks.owns(caller.userId, id))) throw new AppError('FILE_NOT_FOUND');
    this.setExpiration(await this.hooks.expirationMs());
    const checksum = req.headers['upload-checksum'];
    if (req.method === 'PATCH' && typeof checksum === 'string') {
      return this.patchWithChecksum(req, res, caller, checksum);
    }
    const request = new NodeRequest({ req, res });
    this.callers.set(request, caller);
    return this.forward(request, res);
  }

  private async forward(request: Request, res: ServerResponse): Promise<void> {
    const response = await this.tus.handleWeb(request);
    if (response.status >= 400) response.headers.set('content-type', 'application/json; charset=utf-8');
    await sendNodeResponse(res, response);
  }

  private async patchWithChecksum(
    req: IncomingMessage,
    res: ServerResponse,
    caller: UploadCaller,
    header: string,
  ): Promise<void> {
    const [algorithm, expected] = header.trim().split(/\s+/);
    if ((algorithm !== 'sha1' && algorithm !== 'sha256') || !expected) {
      req.resume();
      throw new AppError('BAD_REQUEST', { reason: 'Upload-Checksum: sha1 or sha256 with a base64 digest' });
    }
    await mkdir(this.spoolDir, { recursive: true });
    const spool = join(this.spoolDir, `patch-${randomToken(12)}`);
    try {
      const hash = createHash(algorithm);
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          size += chunk.length;
          done(null, chunk);
        },
      });
      await pipeline(req, tap, createWriteStream(spool));
      if (hash.digest('base64') !== expected) throw new AppError('CHECKSUM_MISMATCH', { algorithm });
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      headers.set('content-length', String(size));
      const request = new Request(`http://localhost${req.url ?? ''}`, {
        method: 'PATCH',
        headers,
        body: Readable.toWeb(createReadStream(spool)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit);
      this.callers.set(request, caller);
      await this.forward(request, res);
    } finally {
      await rm(spool, { force: true });
    }
  }
}

/**
 * Mount the endpoint in Fastify: the body is not parsed (it streams into the store), so the
 * global body limit does not apply to uploads; tus's own size checks do.
 */
export function registerUploadRoutes(http: FastifyInstance, endpoint: UploadEndpoint): void {
  void http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = async (
      req: { raw: IncomingMessage; ip: string },
      reply: { raw: ServerResponse; hijack(): void },
    ) => {
      reply.hijack();
      await endpoint.handle(req.raw, reply.raw, req.ip);
    };
    for (const url of [UPLOADS_PATH, `${UPLOADS_PATH}/*`]) {
      scope.route({
        method: ['POST', 'PATCH', 'HEAD', 'DELETE', 'OPTIONS'],
        url,
        schema: { hide: true },
        handler,
      });
    }
  });
}
