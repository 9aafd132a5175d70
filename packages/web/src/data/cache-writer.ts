import { currentCache } from './cache.ts';
import { CacheWriter } from './cache-store.ts';

/** The one batched writer of this tab; it writes to whichever user's cache is open (none: no-op). */
export const cacheWriter = new CacheWriter(currentCache);

/** The document's side of hiding a page: its visibility and the event that reports a change. */
export type VisibilitySource = EventTarget & { readonly visibilityState: string };

/**
 * Write what the writer holds as soon as the page is hidden or left: a closed tab would otherwise
 * lose what arrived in the writer's last delay (the server still has it; the next start fetches it
 * again, only later). Browsers let a write begun in `visibilitychange` or `pagehide` finish.
 * Returns the unsubscribe.
 */
export function flushWhenHidden(
  writer: Pick<CacheWriter, 'flush'> = cacheWriter,
  doc: VisibilitySource = document,
  win: EventTarget = window,
): () => void {
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden') void writer.flush();
  };
  const onPageHide = () => void writer.flush();
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('pagehide', onPageHide);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('pagehide', onPageHide);
  };
}
