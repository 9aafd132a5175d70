import type {
  CreateMomentBody,
  FileInfo,
  Moment,
  MomentFeedScope,
  MomentMedia,
  MomentPage,
  MomentUnseen,
  MomentVisibility,
  UserMomentsPage,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Caller } from '../deps.ts';
import { decodeCursor, newestFirst, pageOf, type Position } from './moments.cursor.ts';
import type { MomentsContext } from './moments.context.ts';
import type { PostRecord } from './moments.repo.ts';
import { canSeePost, type Viewer } from './moments.viewer.ts';

const ALL: readonly MomentVisibility[] = ['everyone', 'friends', 'self'];
const TO_FRIENDS: readonly MomentVisibility[] = ['everyone', 'friends'];
const DEFAULT_PAGE = 20;
/** The new-posts indicator counts up to this many. */
const UNSEEN_CAP = 100;

/** A ready file of the caller's, as post media; the typed file errors otherwise. */
async function mediaOf(
  ctx: MomentsContext,
  caller: Caller,
  fileId: string,
): Promise<MomentMedia & { size: number }> {
  const file: FileInfo | null = await ctx.files.get(fileId);
  if (!file || file.ownerId !== caller.userId) throw new AppError('FILE_NOT_FOUND', { id: fileId });
  if (file.status === 'uploading' || file.status === 'scanning')
    throw new AppError('FILE_NOT_READY', { id: fileId, status: file.status });
  if (file.status === 'rejected') throw new AppError('FILE_REJECTED', { id: fileId });
  if (file.status !== 'ready') throw new AppError('FILE_EXPIRED', { id: fileId });
  const kind = file.mime.startsWith('image/') ? 'image' : file.mime.startsWith('video/') ? 'video' : null;
  if (kind === null) throw new AppError('MOMENT_MEDIA_INVALID', { id: fileId, mime: file.mime });
  return {
    fileId,
    kind,
    mime: file.mime,
    width: file.width,
    height: file.height,
    durationMs: file.durationMs,
    hasThumbnail: file.hasThumbnail,
    size: file.size,
  };
}

async function checkedMedia(
  ctx: MomentsContext,
  caller: Caller,
  fileIds: readonly string[],
): Promise<MomentMedia[]> {
  const media = [];
  for (const id of fileIds) media.push(await mediaOf(ctx, caller, id));
  const videos = media.filter((m) => m.kind === 'video');
  if (videos.length > 1 || (videos.length === 1 && media.length > 1))
    throw new AppError('MOMENT_MEDIA_INVALID', {
      images: media.length - videos.length,
      videos: videos.length,
    });
  const video = videos[0];
  if (video) {
    const limits = ctx.limits();
    if (video.size > limits.maxVideoBytes)
      throw new AppError('MOMENT_VIDEO_TOO_LARGE', { size: video.size, maxBytes: limits.maxVideoBytes });
    if (video.durationMs !== null && video.durationMs > limits.maxVideoSeconds * 1000)
      throw new AppError('MOMENT_VIDEO_TOO_LONG', {
        durationMs: video.durationMs,
        maxSeconds: limits.maxVideoSeconds,
      });
  }
  return media.map(({ size: _size, ...m }) => m);
}

/** The first window a friends' source looks back over; widened ×8 while it holds too few posts. */
const FIRST_WINDOW_MS = 60 * 60_000;
const LAST_WINDOW_MS = 400 * 24 * 60 * 60_000;

/**
 * Posts of many authors, newest first: a time window just below the cursor keeps each author's
 * index range short (a thousand friends who post daily have ~40 posts an hour), widened until it
 * holds a page; past the last window, no lower bound.
 */
async function windowed(
  ctx: MomentsContext,
  authorIds: readonly string[],
  visibilities: readonly MomentVisibility[],
  before: Position | null,
  limit: number,
): Promise<PostRecord[]> {
  const top = before?.createdAt ?? ctx.now();
  for (let span = FIRST_WINDOW_MS; span <= LAST_WINDOW_MS; span *= 8) {
    const posts = await ctx.posts.byAuthors(authorIds, visibilities, before, limit, top - span);
    if (posts.length >= limit) return posts;
  }
  return ctx.posts.byAuthors(authorIds, visibilities, before, limit);
}

/**
 * The posts of a feed, newest first, older than `before`: at most `limit`. Each source is an index
 * range of its own (mine; my friends' by author; everyone's public ones), merged here.
 */
export async function gather(
  ctx: MomentsContext,
  v: Viewer,
  scope: MomentFeedScope,
  before: Position | null,
  limit: number,
): Promise<PostRecord[]> {
  const friends = [...v.friends].filter((f) => !v.blocked.has(f));
  const sources: Array<Promise<PostRecord[]>> = [ctx.posts.byAuthors([v.userId], ALL, before, limit)];
  if (scope === 'friends' && friends.length) sources.push(windowed(ctx, friends, TO_FRIENDS, before, limit));
  if (scope === 'everyone') {
    if (friends.length) sources.push(windowed(ctx, friends, ['friends'], before, limit));
    sources.push(ctx.posts.publicPosts([v.userId, ...v.blocked], before, limit));
  }
  const seen = new Set<string>();
  return (await Promise.all(sources))
    .flat()
    .filter((p) => !seen.has(p.id) && seen.add(p.id) && canSeePost(v, p))
    .sort(newestFirst)
    .slice(0, limit);
}

export interface MomentPosts {
  create(caller: Caller, body: CreateMomentBody): Promise<Moment>;
  get(caller: Caller, id: string): Promise<Moment>;
  setVisibility(caller: Caller, id: string, visibility: MomentVisibility): Promise<Moment>;
  delete(caller: Caller, id: string): Promise<void>;
  feed(
    caller: Caller,
    scope: MomentFeedScope,
    before: string | undefined,
    limit: number | undefined,
  ): Promise<MomentPage>;
  userPosts(
    caller: Caller,
    userId: string,
    before: string | undefined,
    limit: number | undefined,
  ): Promise<UserMomentsPage>;
  setCover(caller: Caller, fileId: string | null): Promise<string | null>;
  unseen(caller: Caller, since: number): Promise<MomentUnseen>;
}

export function createMomentPosts(ctx: MomentsContext): MomentPosts {
  /** The post when the caller wrote it; MOMENT_NOT_FOUND when invisible, FORBIDDEN when someone else's. */
  async function ownPost(caller: Caller, id: string): Promise<{ v: Viewer; post: PostRecord }> {
    const v = await ctx.viewer(caller.userId);
    const post = await ctx.visiblePost(v, id);
    if (post.authorId !== caller.userId)
      throw new AppError('FORBIDDEN', { id }, 'Only the author may change this post');
    return { v, post };
  }

  async function single(v: Viewer, post: PostRecord): Promise<Moment> {
    const [shown] = await ctx.present(v, [post]);
    if (!shown) throw new AppError('MOMENT_NOT_FOUND', { id: post.id });
    return shown;
  }

  return {
    async create(caller, body) {
      const fileIds = body.fileIds ?? [];
      if (!body.text.trim() && !fileIds.length) throw new AppError('MOMENT_EMPTY');
      const media = await checkedMedia(ctx, caller, fileIds);
      const post: PostRecord = {
        id: newId(),
        authorId: caller.userId,
        text: body.text,
        media,
        location: body.location ?? null,
        mentions: (body.mentions ?? []).filter((id) => id !== caller.userId),
        visibility: body.visibility,
        state: 'live',
        createdAt: ctx.now(),
      };
      const existing = await ctx.users.existing(post.mentions);
      for (const id of post.mentions) {
        if (!existing.has(id) || !canSeePost(await ctx.viewer(id), post))
          throw new AppError('MOMENT_MENTION_NOT_VISIBLE', { userId: id });
      }
      await ctx.posts.insert(post);
      const draftKey = body.draftKey ?? 'post';
      if (await ctx.drafts.deleteDraft(caller.userId, 'post', draftKey))
        ctx.emitDraft(caller, { kind: 'post', key: draftKey, draft: null });
      const v = await ctx.viewer(caller.userId);
      if (post.visibility !== 'self') {
        const audience = [...v.friends].filter((f) => !v.blocked.has(f));
        if (audience.length)
          ctx.events.emit(audience, 'moments.new.v1', {
            postId: post.id,
            authorId: post.authorId,
            createdAt: post.createdAt,
          });
      }
      for (const id of post.mentions) await ctx.notify(id, 'mention', post, caller.userId);
      return single(v, post);
    },

    async get(caller, id) {
      const v = await ctx.viewer(caller.userId);
      return single(v, await ctx.visiblePost(v, id));
    },

    async setVisibility(caller, id, visibility) {
      const { v, post } = await ownPost(caller, id);
      await ctx.posts.setVisibility(id, visibility, ctx.now());
      return single(v, { ...post, visibility });
    },

    async delete(caller, id) {
      await ownPost(caller, id);
      await ctx.posts.setState(id, 'deleted', ctx.now());
      await ctx.interactions.deleteForPost(id);
    },

    async feed(caller, scope, before, limit = DEFAULT_PAGE) {
      const v = await ctx.viewer(caller.userId);
      const posts = await gather(ctx, v, scope, decodeCursor(before), limit + 1);
      const page = pageOf(posts, limit);
      return { items: await ctx.present(v, page.items), nextCursor: page.nextCursor };
    },

    async userPosts(caller, userId, before, limit = DEFAULT_PAGE) {
      const [profile] = await ctx.users.profiles([userId]);
      if (!profile) throw AppError.notFound('user');
      const v = await ctx.viewer(caller.userId);
      if (userId !== caller.userId && v.blocked.has(userId))
        return { profile, coverFileId: null, items: [], nextCursor: null };
      const visibilities =
        userId === caller.userId ? ALL : v.friends.has(userId) ? TO_FRIENDS : (['everyone'] as const);
      const posts = await ctx.posts.byAuthors([userId], visibilities, decodeCursor(before), limit + 1);
      const page = pageOf(posts, limit);
      return {
        profile,
        coverFileId: await ctx.posts.cover(userId),
        items: await ctx.present(v, page.items),
        nextCursor: page.nextCursor,
      };
    },

    async setCover(caller, fileId) {
      if (fileId !== null) {
        const media = await mediaOf(ctx, caller, fileId);
        if (media.kind !== 'image')
          throw new AppError('MOMENT_MEDIA_INVALID', { id: fileId, mime: media.mime });
      }
      await ctx.posts.setCover(caller.userId, fileId, ctx.now());
      return fileId;
    },

    async unseen(caller, since) {
      const v = await ctx.viewer(caller.userId);
      const posts = (await gather(ctx, v, 'everyone', null, UNSEEN_CAP + 1)).filter(
        (p) => p.createdAt > since && p.authorId !== caller.userId,
      );
      const latest = posts[0];
      const latestAuthor = latest
        ? ((await ctx.profiles([latest.authorId])).get(latest.authorId) ?? null)
        : null;
      return { count: Math.min(posts.length, UNSEEN_CAP), latestAuthor };
    },
  };
}
