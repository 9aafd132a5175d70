import type { MomentPage } from '@zhixin/protocol';
import type { Caller } from '../deps.ts';
import { decodeCursor, encodeCursor, pageOf, type Position } from './moments.cursor.ts';
import type { MomentsContext } from './moments.context.ts';
import { gather } from './moments.posts.ts';
import type { PostRecord } from './moments.repo.ts';

const DEFAULT_PAGE = 20;
/**
 * Texts are stored encrypted, so no index can look inside them: a call decrypts and looks through
 * at most SCAN_BATCH × SCAN_BATCHES of the posts the caller may see, newest first, then hands back
 * a cursor to go on from.
 */
const SCAN_BATCH = 200;
const SCAN_BATCHES = 5;

export interface MomentSearch {
  search(caller: Caller, q: string, before?: string, limit?: number): Promise<MomentPage>;
}

/** Every whitespace-separated term of the query appears in the post's text or location label. */
function matcher(q: string): (p: PostRecord) => boolean {
  const terms = q.toLocaleLowerCase().split(/\s+/u).filter(Boolean);
  return (p) => {
    const hay = `${p.text}\n${p.location ?? ''}`.toLocaleLowerCase();
    return terms.every((t) => hay.includes(t));
  };
}

/** Search of the posts the caller may see: the same sources and checks as the "everyone" feed. */
export function createMomentSearch(ctx: MomentsContext): MomentSearch {
  return {
    async search(caller, q, before, limit = DEFAULT_PAGE) {
      const v = await ctx.viewer(caller.userId);
      const matches = matcher(q);
      const found: PostRecord[] = [];
      let cursor: Position | null = decodeCursor(before);
      let exhausted = false;
      for (let i = 0; i < SCAN_BATCHES && found.length <= limit && !exhausted; i++) {
        const batch = await gather(ctx, v, 'everyone', cursor, SCAN_BATCH);
        found.push(...batch.filter(matches));
        const last = batch[batch.length - 1];
        exhausted = !last || batch.length < SCAN_BATCH;
        if (last) cursor = last;
      }
      const page = pageOf(found, limit);
      // Looked through the most a call may without filling a page: go on from the last post seen.
      if (page.nextCursor === null && !exhausted && cursor) page.nextCursor = encodeCursor(cursor);
      return { items: await ctx.present(v, page.items), nextCursor: page.nextCursor };
    },
  };
}
