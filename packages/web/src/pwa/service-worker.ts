/// <reference lib="webworker" />
import { cacheNames, staleCaches, strategyFor } from './routes.ts';

/**
 * The service worker, built to /sw.js by the `serviceWorker` plugin in vite.config.ts, which
 * replaces the two constants below: the build's files (app shell and every code-split chunk) and
 * a version hashed from them. A new build is a new version: it precaches beside the old one, waits
 * until the page agrees to reload (register.ts asks the user), then deletes the old caches.
 */
declare const self: ServiceWorkerGlobalScope;
declare const __ZX_PRECACHE__: readonly string[];
declare const __ZX_VERSION__: string;

const VERSION = __ZX_VERSION__;
const PRECACHE: readonly string[] = __ZX_PRECACHE__;
const CACHES = cacheNames(VERSION);
const SHELL = '/index.html';
/** Past this, a navigation is served from the cache: a hung server must not hang the app's start. */
const NAVIGATION_TIMEOUT_MS = 4000;
const MAX_IMAGES = 400;
const precached = new Set(PRECACHE);

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHES.shell);
      // `reload` skips the HTTP cache: the precache must hold exactly this build's files.
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })));
      // No skipWaiting here: an update waits until the page says so (register.ts), because the open
      // page may still lazy-load chunks of its own build, which the new worker's caches lack.
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      await Promise.all(staleCaches(await caches.keys(), VERSION).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'skip-waiting') {
    void self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const strategy = strategyFor(request, self.location.origin, precached);
  if (strategy === 'network') return;
  if (strategy === 'navigation') event.respondWith(navigate(request));
  else event.respondWith(cacheFirst(request, new URL(request.url).pathname.startsWith('/api/')));
});

/** Network first for pages; offline (or too slow) falls back to the precached app shell. */
async function navigate(request: Request): Promise<Response> {
  const shell = caches.open(CACHES.shell).then((cache) => cache.match(SHELL));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('navigation timed out')), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const response = await Promise.race([fetch(request), tooSlow]);
    // A proxy's 5xx page is worse than this build's app shell, which can still read its cache.
    if (response.status < 500) return response;
    return (await shell) ?? response;
  } catch (err) {
    const cached = await shell;
    if (cached) return cached;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Cache first for immutable files; images are stored on first use, in a bounded cache. */
async function cacheFirst(request: Request, isImage: boolean): Promise<Response> {
  const cache = await caches.open(isImage ? CACHES.images : CACHES.shell);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    await cache.put(request, response.clone());
    if (isImage) await trim(cache);
  }
  return response;
}

/** Keep at most MAX_IMAGES images: Cache keys come back in insertion order, oldest first. */
async function trim(cache: Cache): Promise<void> {
  const keys = await cache.keys();
  const excess = keys.length - MAX_IMAGES;
  for (let i = 0; i < excess; i++) await cache.delete(keys[i] as Request);
}
