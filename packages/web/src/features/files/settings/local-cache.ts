import { currentCache } from '../../../data/cache.ts';
import { forgetLinks } from '../links.ts';
import { clearMediaCache, mediaCacheBytes } from '../media-cache.ts';

export interface LocalCacheUsage {
  /** Downloaded media (thumbnails, voice, viewed images). */
  mediaBytes: number;
  /** Cached messages: how many, and about how much room they take. */
  messageCount: number;
  messageBytes: number;
}

const encoder = new TextEncoder();

async function messageUsage(): Promise<{ count: number; bytes: number }> {
  const db = currentCache();
  if (!db) return { count: 0, bytes: 0 };
  let bytes = 0;
  let count = 0;
  await db.messages.each((m) => {
    count += 1;
    bytes += encoder.encode(JSON.stringify(m)).length;
  });
  return { count, bytes };
}

/** What this device keeps for the signed-in user besides the conversation list. */
export async function localCacheUsage(): Promise<LocalCacheUsage> {
  const [mediaBytes, messages] = await Promise.all([mediaCacheBytes(), messageUsage()]);
  return { mediaBytes, messageCount: messages.count, messageBytes: messages.bytes };
}

/**
 * Empty the media cache and the cached messages (the server keeps them: chats load them again when
 * opened). Conversations stay so the list still shows at once. Resolves with the bytes freed.
 */
export async function clearLocalCache(): Promise<number> {
  const before = await localCacheUsage();
  await clearMediaCache();
  await currentCache()?.messages.clear();
  forgetLinks();
  return before.mediaBytes + before.messageBytes;
}
