import type { MomentNotificationKind } from '@zhixin/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';
import type { Position } from './moments.cursor.ts';

export interface LikeRecord {
  postId: string;
  userId: string;
  createdAt: number;
}

export interface CommentRecord {
  id: string;
  postId: string;
  authorId: string;
  text: string;
  replyToCommentId: string | null;
  replyToUserId: string | null;
  createdAt: number;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: MomentNotificationKind;
  postId: string;
  actorId: string | null;
  commentId: string | null;
  read: boolean;
  createdAt: number;
}

/** The most comments read for one post (a page of posts reads at most this many in all). */
const COMMENTS_CAP = 2000;

const commentCtx = (id: string) => `moments_comments.text:${id}`;

/** moments_likes, moments_comments and moments_notifications: the only place with their SQL. */
export class MomentInteractionsRepo {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly keyring: Keyring,
  ) {}

  private toComment(row: Selectable<DB['moments_comments']>): CommentRecord {
    return {
      id: row.id,
      postId: row.post_id,
      authorId: row.author_id,
      text: this.keyring.open(row.text_enc, commentCtx(row.id)),
      replyToCommentId: row.reply_to_comment_id,
      replyToUserId: row.reply_to_user_id,
      createdAt: Number(row.created_at),
    };
  }

  /** True when the like is new. */
  async like(postId: string, userId: string, now: number): Promise<boolean> {
    const res = await this.db
      .insertInto('moments_likes')
      .values({ post_id: postId, user_id: userId, created_at: now })
      .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async unlike(postId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('moments_likes')
      .where('post_id', '=', postId)
      .where('user_id', '=', userId)
      .execute();
  }

  /** Likes of these posts, oldest first. */
  async likesOf(postIds: readonly string[]): Promise<LikeRecord[]> {
    if (!postIds.length) return [];
    const rows = await this.db
      .selectFrom('moments_likes')
      .selectAll()
      .where('post_id', 'in', [...postIds])
      .orderBy('created_at', 'asc')
      .execute();
    return rows.map((r) => ({ postId: r.post_id, userId: r.user_id, createdAt: Number(r.created_at) }));
  }

  async addComment(c: CommentRecord): Promise<void> {
    await this.db
      .insertInto('moments_comments')
      .values({
        id: c.id,
        post_id: c.postId,
        author_id: c.authorId,
        text_enc: this.keyring.seal(c.text, commentCtx(c.id)),
        reply_to_comment_id: c.replyToCommentId,
        reply_to_user_id: c.replyToUserId,
        created_at: c.createdAt,
      })
      .execute();
  }

  async comment(id: string): Promise<CommentRecord | null> {
    const row = await this.db
      .selectFrom('moments_comments')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.toComment(row) : null;
  }

  async commentsByIds(ids: readonly string[]): Promise<CommentRecord[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('moments_comments')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => this.toComment(r));
  }

  /** Comments of these posts, newest first (at most COMMENTS_CAP). */
  async commentsOf(postIds: readonly string[]): Promise<CommentRecord[]> {
    if (!postIds.length) return [];
    const rows = await this.db
      .selectFrom('moments_comments')
      .selectAll()
      .where('post_id', 'in', [...postIds])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(COMMENTS_CAP)
      .execute();
    return rows.map((r) => this.toComment(r));
  }

  async deleteComment(id: string): Promise<void> {
    await this.db.deleteFrom('moments_comments').where('id', '=', id).execute();
    await this.db.deleteFrom('moments_notifications').where('comment_id', '=', id).execute();
  }

  /** A deleted post takes its likes, comments and notifications with it. */
  async deleteForPost(postId: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('moments_likes').where('post_id', '=', postId).execute();
      await tx.deleteFrom('moments_comments').where('post_id', '=', postId).execute();
      await tx.deleteFrom('moments_notifications').where('post_id', '=', postId).execute();
    });
  }

  async notify(n: NotificationRecord): Promise<void> {
    await this.db
      .insertInto('moments_notifications')
      .values({
        id: n.id,
        user_id: n.userId,
        kind: n.kind,
        post_id: n.postId,
        actor_id: n.actorId,
        comment_id: n.commentId,
        created_at: n.createdAt,
        read: n.read ? 1 : 0,
      })
      .execute();
  }

  /** A like taken back takes its notification with it. */
  async forgetLike(postId: string, actorId: string): Promise<void> {
    await this.db
      .deleteFrom('moments_notifications')
      .where('post_id', '=', postId)
      .where('actor_id', '=', actorId)
      .where('kind', '=', 'like')
      .execute();
  }

  /** A user's notifications, newest first, older than `before`; `unreadOnly` for the badge. */
  async notifications(
    userId: string,
    before: Position | null,
    limit: number,
    unreadOnly = false,
  ): Promise<NotificationRecord[]> {
    let q = this.db.selectFrom('moments_notifications').selectAll().where('user_id', '=', userId);
    if (before) {
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', before.createdAt),
          eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)]),
        ]),
      );
    }
    if (unreadOnly) q = q.where('read', '=', 0);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      kind: r.kind,
      postId: r.post_id,
      actorId: r.actor_id,
      commentId: r.comment_id,
      read: r.read === 1,
      createdAt: Number(r.created_at),
    }));
  }

  async markRead(userId: string): Promise<void> {
    await this.db
      .updateTable('moments_notifications')
      .set({ read: 1 })
      .where('user_id', '=', userId)
      .execute();
  }
}
