import type {
  CreateMomentBody,
  Moment,
  MomentComment,
  MomentCommentPage,
  MomentDraft,
  MomentDraftContent,
  MomentDraftKind,
  MomentFeedScope,
  MomentLike,
  MomentNotificationPage,
  MomentPage,
  MomentReport,
  MomentReportPage,
  MomentReportStatus,
  MomentUnseen,
  MomentVisibility,
  UserMomentsPage,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

/** Paging of newest-first lists: pass the previous page's `nextCursor` as `before`. */
export interface MomentPageOptions {
  before?: string;
  /** 1–50 (default 20). */
  limit?: number;
}

function paging(opts: MomentPageOptions): MomentPageOptions {
  return {
    ...(opts.before !== undefined ? { before: opts.before } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
  };
}

/**
 * Moments (战友圈): posts with text, up to 9 images or one video, to everyone, friends or only me;
 * the feeds; likes, comments and replies; the "new interactions" list; drafts synced across my
 * devices; reports and (operators) moderation. The server enforces who sees what on every call.
 * Events: `moments.new` (a post I may see, for the new-posts indicator), `moments.interaction`
 * (a `MomentNotification` for me), `moments.draft` (a draft saved or cleared on another device).
 */
export class MomentsManager {
  constructor(private readonly call: Call) {}

  /**
   * Post. Upload images or the video first (`client.files.upload`), then name them here.
   * @example
   * const post = await client.moments.create({ text: '今天训练完成', fileIds: [imageId], visibility: 'friends' });
   */
  create(body: CreateMomentBody): Promise<Moment> {
    return this.call('moments.create', body);
  }

  /** One post as I may see it (`MOMENT_NOT_FOUND` when I may not). */
  get(id: string): Promise<Moment> {
    return this.call('moments.get', { id });
  }

  /** Change who sees my post. */
  setVisibility(id: string, visibility: MomentVisibility): Promise<Moment> {
    return this.call('moments.setVisibility', { id, visibility });
  }

  /** Delete my post. */
  async delete(id: string): Promise<void> {
    await this.call('moments.delete', { id });
  }

  /**
   * A page of a feed, newest first.
   * @example
   * let page = await client.moments.feed('friends');
   * if (page.nextCursor) page = await client.moments.feed('friends', { before: page.nextCursor });
   */
  feed(scope: MomentFeedScope, opts: MomentPageOptions = {}): Promise<MomentPage> {
    return this.call('moments.feed', { scope, ...paging(opts) });
  }

  /**
   * Posts I may see whose text or location contains every word of `q`, newest first. A page may
   * hold fewer than `limit` posts (even none) while `nextCursor` is not null: go on from it.
   * @example
   * const { items, nextCursor } = await client.moments.search('团建');
   */
  search(q: string, opts: MomentPageOptions = {}): Promise<MomentPage> {
    return this.call('moments.search', { q, ...paging(opts) });
  }

  /** A user's page: their cover image and the posts I may see. */
  userPosts(userId: string, opts: MomentPageOptions = {}): Promise<UserMomentsPage> {
    return this.call('moments.userPosts', { userId, ...paging(opts) });
  }

  /** Set my page's cover to an uploaded image of mine (null removes it). */
  async setCover(fileId: string | null): Promise<string | null> {
    return (await this.call('moments.setCover', { fileId })).coverFileId;
  }

  /** How many posts by others appeared since `since` (ms), for the new-posts indicator. */
  unseen(since: number): Promise<MomentUnseen> {
    return this.call('moments.unseen', { since });
  }

  /** Like a post (idempotent); returns the post as I see it now. */
  like(postId: string): Promise<Moment> {
    return this.call('moments.like', { postId });
  }

  /** Take my like back (idempotent). */
  unlike(postId: string): Promise<Moment> {
    return this.call('moments.unlike', { postId });
  }

  /** The likes of a post that I may see. */
  async likes(postId: string): Promise<MomentLike[]> {
    return (await this.call('moments.likes', { postId })).items;
  }

  /**
   * Comment, or reply to a comment; clears my comment draft for the post on every device.
   * @example
   * await client.moments.comment(post.id, '辛苦了', { replyToCommentId: c.id });
   */
  comment(postId: string, text: string, opts: { replyToCommentId?: string } = {}): Promise<MomentComment> {
    return this.call(
      'moments.comment',
      opts.replyToCommentId ? { postId, text, replyToCommentId: opts.replyToCommentId } : { postId, text },
    );
  }

  /** The comments of a post that I may see, newest first. */
  comments(postId: string, opts: MomentPageOptions = {}): Promise<MomentCommentPage> {
    return this.call('moments.comments', { postId, ...paging(opts) });
  }

  /** Delete a comment of mine, or any comment on my post. */
  async deleteComment(commentId: string): Promise<void> {
    await this.call('moments.deleteComment', { commentId });
  }

  /** New interactions concerning me, newest first, with the unread count. */
  notifications(opts: MomentPageOptions = {}): Promise<MomentNotificationPage> {
    return this.call('moments.notifications', paging(opts));
  }

  /** Mark every notification of mine read (the unread count drops to zero). */
  async markNotificationsRead(): Promise<void> {
    await this.call('moments.markNotificationsRead', {});
  }

  /**
   * Save an unsent post (`key`: usually `post`) or comment (`key`: the post id); my other devices
   * receive `moments.draft`.
   * @example
   * await client.moments.saveDraft('comment', post.id, { text: '写了一半' });
   */
  saveDraft(kind: MomentDraftKind, key: string, content: MomentDraftContent): Promise<MomentDraft> {
    return this.call('moments.saveDraft', { kind, key, content });
  }

  /** My drafts, newest first. */
  async drafts(): Promise<MomentDraft[]> {
    return (await this.call('moments.drafts', {})).items;
  }

  /** Delete one of my drafts (of a post or a comment), by its kind and key. */
  async deleteDraft(kind: MomentDraftKind, key: string): Promise<void> {
    await this.call('moments.deleteDraft', { kind, key });
  }

  /** Report a post to the operators (once per post). */
  async report(postId: string, reason: string): Promise<void> {
    await this.call('moments.report', { postId, reason });
  }

  /** Operators: reported posts, newest report first. */
  reports(opts: MomentPageOptions & { status?: MomentReportStatus } = {}): Promise<MomentReportPage> {
    return this.call('moments.reports', { ...(opts.status ? { status: opts.status } : {}), ...paging(opts) });
  }

  /** Operators: remove the reported post for everyone, or dismiss the report. */
  resolveReport(reportId: string, action: 'remove' | 'dismiss'): Promise<MomentReport> {
    return this.call('moments.resolveReport', { reportId, action });
  }
}
