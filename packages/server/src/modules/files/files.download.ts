import { API_PREFIX } from '@zhixin/protocol';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, isAppError } from '../../errors.ts';
import type { BlobStore, ByteRange } from '../../platform/blob/index.ts';
import { verifyLink, type LinkMac } from './files.links.ts';
import { isInlineSafe } from './files.magic.ts';
import { contentDisposition } from './files.names.ts';
import type { FilesCore } from './files.service.ts';

/**
 * One `Range` header against a size: the range, 'unsatisfiable', or null to send the whole file
 * (no header, a malformed one, or several ranges, which RFC 9110 lets a server ignore).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

function fail(reply: FastifyReply, err: AppError): FastifyReply {
  return reply.status(err.status).send(err.toBody());
}

/**
 * `GET /api/v1/files/:id/content`: the bytes behind a signed link (files.link). No bearer token:
 * the signature is the capability, for one user's session (it dies with a logout) and a few minutes. Ranges for seeking and resumed
 * downloads; ETag is the sha256; only types a browser cannot run are ever shown inline.
 */
export function registerDownloadRoute(
  http: FastifyInstance,
  files: FilesCore,
  blobs: BlobStore,
  mac: LinkMac,
  /** Whether the session a link was issued to is still live: a link dies with its session. */
  sessionIsLive: (sessionId: string) => Promise<boolean>,
  now: () => number = Date.now,
): void {
  http.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    `${API_PREFIX}/files/:id/content`,
    { schema: { hide: true } },
    async (req, reply) => {
      const claims = verifyLink(mac, req.params.id, req.query, now());
      if (!claims || !(await sessionIsLive(claims.sessionId)))
        return fail(reply, new AppError('LINK_INVALID'));
      try {
        const rec = await files.forDownload(claims.fileId);
        const thumb = claims.variant === 'thumbnail';
        if (thumb && rec.thumbnailMime === null) throw new AppError('FILE_NOT_FOUND', { id: rec.id });
        const key = thumb ? `${rec.id}.thumb` : rec.id;
        const stat = await blobs.stat(key);
        if (!stat) throw new AppError('FILE_EXPIRED', { id: rec.id });
        const mime = thumb ? (rec.thumbnailMime ?? 'application/octet-stream') : rec.mime;
        const inline = claims.disposition === 'inline' && isInlineSafe(mime);
        const etag = `"${rec.sha256 ?? ''}${thumb ? '.thumb' : ''}"`;
        const range = parseRange(req.headers.range, stat.size);
        if (range === 'unsatisfiable') {
          return reply
            .status(416)
            .header('content-range', `bytes */${stat.size}`)
            .send(new AppError('BAD_REQUEST', { reason: 'range not satisfiable', size: stat.size }).toBody());
        }
        void reply
          .header('accept-ranges', 'bytes')
          .header('etag', etag)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', `private, max-age=${Math.max(0, Math.floor((claims.exp - now()) / 1000))}`)
          .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', rec.name))
          .header('content-type', mime.startsWith('text/') ? 'text/plain; charset=utf-8' : mime);
        if (req.headers['if-none-match'] === etag) return reply.status(304).send();
        const who = { userId: claims.userId, sessionId: claims.sessionId, ip: req.ip };
        await files.recordDownload(rec, who, claims.variant, range ? `${range.start}-${range.end}` : null);
        if (!range) {
          void reply.header('content-length', stat.size);
          return reply.status(200).send(await blobs.read(key));
        }
        void reply
          .header('content-range', `bytes ${range.start}-${range.end}/${stat.size}`)
          .header('content-length', range.end - range.start + 1);
        return reply.status(206).send(await blobs.read(key, range));
      } catch (err) {
        if (isAppError(err)) return fail(reply, err);
        throw err;
      }
    },
  );
}
