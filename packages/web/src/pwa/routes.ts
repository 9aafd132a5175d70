/**
 * How the service worker answers one request. Kept apart from the worker so it can be tested.
 * - `navigation`: network first, falling back to the cached app shell (index.html), so the app
 *   opens offline and shows the chats cached in IndexedDB.
 * - `cache-first`: content-addressed files (hashed build assets, precached icons, images by id):
 *   a cached copy can never be stale.
 * - `network`: everything else, the API and the WebSocket above all, is never cached (the SDK and
 *   the IndexedDB cache own the data; a cached API answer would be a stale lie).
 */
export type Strategy = 'navigation' | 'cache-first' | 'network';

export interface RequestInfo {
  url: string;
  method: string;
  mode: RequestMode;
}

/** Image ids are immutable (a new avatar is a new id), so images are safe to keep. */
const IMAGE_PATH = /^\/api\/v1\/images\/[^/]+$/;

export function strategyFor(req: RequestInfo, origin: string, precached: ReadonlySet<string>): Strategy {
  if (req.method !== 'GET') return 'network';
  const url = new URL(req.url);
  if (url.origin !== origin) return 'network';
  if (IMAGE_PATH.test(url.pathname) && url.search === '') return 'cache-first';
  if (url.pathname.startsWith('/api/') || url.pathname === '/api' || url.pathname.startsWith('/ws')) {
    return 'network';
  }
  if (req.mode === 'navigate') return 'navigation';
  if (url.pathname.startsWith('/assets/') || precached.has(url.pathname)) return 'cache-first';
  return 'network';
}

/** The cache names of one build; older ones are deleted when a new worker activates. */
export function cacheNames(version: string): { shell: string; images: string } {
  return { shell: `zhixin-shell-${version}`, images: 'zhixin-images-v1' };
}

/** Caches a worker of `version` must delete: every Zhixin cache but its own. */
export function staleCaches(existing: readonly string[], version: string): string[] {
  const keep = new Set(Object.values(cacheNames(version)));
  return existing.filter((name) => name.startsWith('zhixin-') && !keep.has(name));
}
