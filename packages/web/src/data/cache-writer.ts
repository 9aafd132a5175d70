import { currentCache } from './cache.ts';
import { CacheWriter } from './cache-store.ts';

/** The one batched writer of this tab; it writes to whichever user's cache is open (none: no-op). */
export const cacheWriter = new CacheWriter(currentCache);
