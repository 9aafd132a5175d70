import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/** Answers a request no route took, or returns false to let the JSON 404 answer. */
export type NotFoundFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Everything outside assets/ keeps its name across builds (index.html, sw.js, the manifest, icons):
// browsers must revalidate it, or a new build would never reach them.
const REVALIDATE = 'no-cache';

/** Paths the server answers itself: never the client's index.html, even for a browser. */
const SERVER_PATH = /^\/(?:api|ws|healthz|readyz|metrics)(?:[/?#]|$)/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Zhixin</title></head>
<body style="font-family: sans-serif; margin: 3rem">
<h1>The web client is not built</h1>
<p>Run <code>npm run build</code> (or start with <code>npm start</code>, which builds it when needed).</p>
<p>网页客户端尚未构建：请运行 <code>npm run build</code>。</p>
</body></html>
`;

function wantsHtml(req: FastifyRequest): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html');
}

/**
 * Serve the web client's build (`web.dir`) at `/`: hashed files under /assets/ cached for a year,
 * the rest revalidated, and index.html for every browser navigation no route or file answers, so
 * client-side routes like /chats/abc survive a reload. Returns the not-found fallback doing the last
 * part (null when `web.enabled` is false). The folder is looked at per request: a build made while
 * the server runs is served at once.
 */
export async function registerWebClient(
  app: FastifyInstance,
  web: Config['web'],
): Promise<NotFoundFallback | null> {
  if (!web.enabled) return null;
  await app.register(fastifyStatic, {
    root: web.dir,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    // The folder may appear later (npm run build); requests until then get the "not built" page.
    suppressWarning: true,
    schemaHide: true,
    setHeaders: (reply, path) => {
      const inAssets = relative(web.dir, path).startsWith(`assets${sep}`);
      void reply.header('cache-control', inAssets ? IMMUTABLE : REVALIDATE);
    },
  });
  return (req, reply) => {
    if (!wantsHtml(req) || SERVER_PATH.test(req.url)) return false;
    if (!existsSync(join(web.dir, 'index.html'))) {
      void reply
        .status(503)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(NOT_BUILT);
      return true;
    }
    void reply.header('cache-control', REVALIDATE).sendFile('index.html');
    return true;
  };
}
