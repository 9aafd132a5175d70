import type { Moment, MomentFeedScope, PublicProfile } from '@zhixin/protocol';
import { ZhixinError } from '@zhixin/sdk';
import { create } from 'zustand';
import { client } from '../../app/client.ts';
import { putProfiles } from '../../data/people.ts';

/**
 * A list of posts: one of the three feeds, a user's page (`user:<id>`), one post (`post:<id>`) or
 * the results of a search (`search:<query>`).
 */
export type FeedKey = MomentFeedScope | `user:${string}` | `post:${string}` | `search:${string}`;

export interface Feed {
  items: Moment[];
  nextCursor: string | null;
  status: 'loading' | 'ready' | 'error';
  loadingMore: boolean;
  /** The code of the last failure, shown by the list. */
  errorCode: string | null;
  /** A user's page also has the profile and the cover. */
  profile: PublicProfile | null;
  coverFileId: string | null;
}

const EMPTY_FEED: Feed = {
  items: [],
  nextCursor: null,
  status: 'loading',
  loadingMore: false,
  errorCode: null,
  profile: null,
  coverFileId: null,
};

const PAGE = 20;
/** A search page may come back empty with a cursor (the server looks through so many posts a call). */
const SEARCH_CALLS = 5;

/** The feeds this tab has loaded, by key. */
export const useFeeds = create<Record<string, Feed>>(() => ({}));

export function useFeed(key: FeedKey): Feed {
  return useFeeds((s) => s[key]) ?? EMPTY_FEED;
}

function patch(key: FeedKey, change: Partial<Feed>): void {
  useFeeds.setState((s) => ({ [key]: { ...(s[key] ?? EMPTY_FEED), ...change } }));
}

function keep(posts: readonly Moment[]): void {
  putProfiles(posts.map((p) => p.author));
}

async function page(key: FeedKey, before: string | undefined) {
  const limit = PAGE;
  if (key.startsWith('post:')) {
    const post = await client.moments.get(key.slice(5));
    return { items: [post], nextCursor: null, profile: null, coverFileId: null };
  }
  if (key.startsWith('user:')) return client.moments.userPosts(key.slice(5), { before, limit });
  if (key.startsWith('search:')) {
    let res = await client.moments.search(key.slice(7), { before, limit });
    for (let i = 1; i < SEARCH_CALLS && !res.items.length && res.nextCursor; i++)
      res = await client.moments.search(key.slice(7), { before: res.nextCursor, limit });
    return { ...res, profile: null, coverFileId: null };
  }
  const scope = key as MomentFeedScope;
  const res = await client.moments.feed(scope, { before, limit });
  return { ...res, profile: null, coverFileId: null };
}

/** Load (or reload) the newest page of a feed; the list keeps showing what it had meanwhile. */
export async function refreshFeed(key: FeedKey): Promise<void> {
  const had = useFeeds.getState()[key];
  if (!had) patch(key, { status: 'loading' });
  try {
    const res = await page(key, undefined);
    keep(res.items);
    patch(key, {
      items: res.items,
      nextCursor: res.nextCursor,
      status: 'ready',
      errorCode: null,
      profile: res.profile,
      coverFileId: res.coverFileId,
    });
  } catch (err) {
    const code = ZhixinError.from(err).code;
    patch(key, { status: had?.status === 'ready' ? 'ready' : 'error', errorCode: code });
    throw err;
  }
}

/** Append the next page (infinite scroll); a no-op at the end or while one is loading. */
export async function loadMore(key: FeedKey): Promise<void> {
  const feed = useFeeds.getState()[key];
  if (!feed || feed.loadingMore || !feed.nextCursor) return;
  patch(key, { loadingMore: true });
  try {
    const res = await page(key, feed.nextCursor);
    keep(res.items);
    const current = useFeeds.getState()[key] ?? EMPTY_FEED;
    const known = new Set(current.items.map((p) => p.id));
    patch(key, {
      items: [...current.items, ...res.items.filter((p) => !known.has(p.id))],
      nextCursor: res.nextCursor,
      loadingMore: false,
    });
  } catch (err) {
    patch(key, { loadingMore: false });
    throw err;
  }
}

/** A newer version of a post: replaced wherever it is listed. */
export function putPost(post: Moment): void {
  useFeeds.setState((s) => {
    const next: Record<string, Feed> = {};
    for (const [key, feed] of Object.entries(s)) {
      if (feed.items.some((p) => p.id === post.id))
        next[key] = { ...feed, items: feed.items.map((p) => (p.id === post.id ? post : p)) };
    }
    return next;
  });
}

/** My new post goes first in the feeds that show it. */
export function addMyPost(post: Moment, myId: string): void {
  const keys: FeedKey[] = ['everyone', 'friends', 'mine', `user:${myId}`];
  useFeeds.setState((s) => {
    const next: Record<string, Feed> = {};
    for (const key of keys) {
      const feed = s[key];
      if (feed) next[key] = { ...feed, items: [post, ...feed.items.filter((p) => p.id !== post.id)] };
    }
    return next;
  });
}

/** A post deleted or no longer visible: gone from every list. */
export function dropPost(postId: string): void {
  useFeeds.setState((s) => {
    const next: Record<string, Feed> = {};
    for (const [key, feed] of Object.entries(s)) {
      if (feed.items.some((p) => p.id === postId))
        next[key] = { ...feed, items: feed.items.filter((p) => p.id !== postId) };
    }
    return next;
  });
}

/** Fetch a post again (after a comment, a like elsewhere) and show the new version; drop it if gone. */
export async function reloadPost(postId: string): Promise<void> {
  try {
    putPost(await client.moments.get(postId));
  } catch (err) {
    if (ZhixinError.from(err).code === 'MOMENT_NOT_FOUND') dropPost(postId);
    else throw err;
  }
}

/** My page's cover changed. */
export function setCover(myId: string, coverFileId: string | null): void {
  const key: FeedKey = `user:${myId}`;
  if (useFeeds.getState()[key]) patch(key, { coverFileId });
}

/** Forget everything (sign-out). */
export function resetFeeds(): void {
  useFeeds.setState(() => ({}), true);
}
