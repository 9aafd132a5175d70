import type {
  Moment,
  MomentComment,
  MomentCommentPage,
  MomentLike,
  MomentNotificationPage,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Caller } from '../deps.ts';
import { decodeCursor, encodeCursor, isOlder, pageOf, type Position } from './moments.cursor.ts';
import type { MomentsContext } from './moments.context.ts';
import type { CommentRecord, NotificationRecord } from './moments.interactions.repo.ts';
import { canSeeActor } from './moments.viewer.ts';

const DEFAULT_PAGE = 20;
/** Notifications are read in batches of this many while hidden ones are skipped. */
const NOTIFICATION_BATCH = 100;
const NOTIFICATION_BATCHES = 10;
/** Unread notifications counted for the badge. */
const UNREAD_CAP = 500;

export interface MomentInteractions {
  like(caller: Caller, postId: string): Promise<Moment>;
  unlike(caller: Caller, postId: string): Promise<Moment>;
  likes(caller: Caller, postId: string): Promise<MomentLike[]>;
  comment(caller: Caller, postId: string, text: string, replyToCommentId?: string): Promise<MomentComment>;
  comments(caller: Caller, postId: string, before?: string, limit?: number): Promise<MomentCommentPage>;
  deleteComment(caller: Caller, commentId: string): Promise<void>;
  notifications(caller: Caller, before?: string, limit?: number): Promise<MomentNotificationPage>;
  markNotificationsRead(caller: Caller): Promise<void>;
}

export function createMomentInteractions(ctx: MomentsContext): MomentInteractions {
  async function presentOne(caller: Caller, postId: string): Promise<Moment> {
    const v = await ctx.viewer(caller.userId);
    const [shown] = await ctx.present(v, [await ctx.visiblePost(v, postId)]);
    if (!shown) throw new AppError('MOMENT_NOT_FOUND', { id: postId });
    return shown;
  }

  return {
    async like(caller, postId) {
      const v = await ctx.viewer(caller.userId);
      const post = await ctx.visiblePost(v, postId);
      if (await ctx.interactions.like(postId, caller.userId, ctx.now()))
        await ctx.notify(post.authorId, 'like', post, caller.userId);
      return presentOne(caller, postId);
    },

    async unlike(caller, postId) {
      const v = await ctx.viewer(caller.userId);
      await ctx.visiblePost(v, postId);
      await ctx.interactions.unlike(postId, caller.userId);
      await ctx.interactions.forgetLike(postId, caller.userId);
      return presentOne(caller, postId);
    },

    async likes(caller, postId) {
      const v = await ctx.viewer(caller.userId);
      const post = await ctx.visiblePost(v, postId);
      const likes = (await ctx.interactions.likesOf([postId])).filter((l) => canSeeActor(v, post, l.userId));
      const people = await ctx.profiles(likes.map((l) => l.userId));
      return likes.flatMap((l) => {
        const user = people.get(l.userId);
        return user ? [{ userId: l.userId, user, createdAt: l.createdAt }] : [];
      });
    },

    async comment(caller, postId, text, replyToCommentId) {
      const v = await ctx.viewer(caller.userId);
      const post = await ctx.visiblePost(v, postId);
      let replyTo: CommentRecord | null = null;
      if (replyToCommentId !== undefined) {
        replyTo = await ctx.interactions.comment(replyToCommentId);
        if (!replyTo || replyTo.postId !== postId || !canSeeActor(v, post, replyTo.authorId))
          throw new AppError('MOMENT_COMMENT_NOT_FOUND', { id: replyToCommentId });
      }
      const record: CommentRecord = {
        id: newId(),
        postId,
        authorId: caller.userId,
        text,
        replyToCommentId: replyTo?.id ?? null,
        replyToUserId: replyTo?.authorId ?? null,
        createdAt: ctx.now(),
      };
      await ctx.interactions.addComment(record);
      if (await ctx.drafts.deleteDraft(caller.userId, 'comment', postId))
        ctx.emitDraft(caller, { kind: 'comment', key: postId, draft: null });
      if (replyTo) await ctx.notify(replyTo.authorId, 'reply', post, caller.userId, record.id);
      if (replyTo?.authorId !== post.authorId)
        await ctx.notify(post.authorId, 'comment', post, caller.userId, record.id);
      const [shown] = await ctx.presentComments([record]);
      if (!shown) throw new AppError('MOMENT_NOT_FOUND', { id: postId });
      return shown;
    },

    async comments(caller, postId, before, limit = DEFAULT_PAGE) {
      const v = await ctx.viewer(caller.userId);
      const post = await ctx.visiblePost(v, postId);
      const cursor = decodeCursor(before);
      const seen = (await ctx.interactions.commentsOf([postId])).filter(
        (c) => canSeeActor(v, post, c.authorId) && isOlder(c, cursor),
      );
      const page = pageOf(seen, limit);
      return { items: await ctx.presentComments(page.items), nextCursor: page.nextCursor };
    },

    async deleteComment(caller, commentId) {
      const v = await ctx.viewer(caller.userId);
      const comment = await ctx.interactions.comment(commentId);
      if (!comment) throw new AppError('MOMENT_COMMENT_NOT_FOUND', { id: commentId });
      const post = await ctx.visiblePost(v, comment.postId);
      if (!canSeeActor(v, post, comment.authorId))
        throw new AppError('MOMENT_COMMENT_NOT_FOUND', { id: commentId });
      if (comment.authorId !== caller.userId && post.authorId !== caller.userId)
        throw new AppError(
          'FORBIDDEN',
          { id: commentId },
          'Only its author or the post’s author may delete a comment',
        );
      await ctx.interactions.deleteComment(commentId);
    },

    async notifications(caller, before, limit = DEFAULT_PAGE) {
      const v = await ctx.viewer(caller.userId);
      const shown = [];
      let cursor: Position | null = decodeCursor(before);
      let exhausted = false;
      for (let i = 0; i < NOTIFICATION_BATCHES && shown.length <= limit && !exhausted; i++) {
        const batch: NotificationRecord[] = await ctx.interactions.notifications(
          caller.userId,
          cursor,
          NOTIFICATION_BATCH,
        );
        shown.push(...(await ctx.presentNotifications(v, batch)));
        const last = batch[batch.length - 1];
        exhausted = !last || batch.length < NOTIFICATION_BATCH;
        if (last) cursor = last;
      }
      const page = pageOf(shown, limit);
      // Many hidden ones in a row: go on from the last one looked at rather than stop early.
      if (page.nextCursor === null && !exhausted && cursor) page.nextCursor = encodeCursor(cursor);
      const unread = await ctx.presentNotifications(
        v,
        await ctx.interactions.notifications(caller.userId, null, UNREAD_CAP, true),
      );
      return { items: page.items, nextCursor: page.nextCursor, unread: unread.length };
    },

    markNotificationsRead: (caller) => ctx.interactions.markRead(caller.userId),
  };
}
