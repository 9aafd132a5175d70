import type {
  EventBody,
  Moment,
  MomentComment,
  MomentLike,
  MomentNotification,
  MomentNotificationKind,
  PublicProfile,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { EventSink } from '../../platform/events.ts';
import { newId } from '../../platform/ids.ts';
import type { ContactsService } from '../contacts/index.ts';
import type { Caller } from '../deps.ts';
import type { FilesService } from '../files/index.ts';
import type { FriendsService } from '../friends/index.ts';
import type { UsersService } from '../users/index.ts';
import type { MomentDraftsRepo } from './moments.drafts.repo.ts';
import type {
  CommentRecord,
  MomentInteractionsRepo,
  NotificationRecord,
} from './moments.interactions.repo.ts';
import type { MomentsRepo, PostRecord } from './moments.repo.ts';
import { canSeeActor, canSeePost, type Viewer } from './moments.viewer.ts';

/** Comments shown inline with a post in feeds (the rest through moments.comments). */
const INLINE_COMMENTS = 50;
/** Profiles are fetched this many at a time. */
const PROFILE_CHUNK = 200;

export interface MomentsLimits {
  maxVideoBytes: number;
  maxVideoSeconds: number;
}

export interface MomentsDeps {
  posts: MomentsRepo;
  interactions: MomentInteractionsRepo;
  drafts: MomentDraftsRepo;
  users: Pick<UsersService, 'profiles' | 'existing' | 'me'>;
  contacts: Pick<ContactsService, 'friendIds'>;
  friends: Pick<FriendsService, 'blockedEitherWay'>;
  files: Pick<FilesService, 'get'>;
  events: EventSink;
  limits: () => MomentsLimits;
  now: () => number;
}

/** What the parts of the moments service share: who sees what, and how posts are presented. */
export interface MomentsContext extends MomentsDeps {
  viewer(userId: string): Promise<Viewer>;
  /** The post when the viewer may see it; MOMENT_NOT_FOUND (as for a missing one) otherwise. */
  visiblePost(v: Viewer, postId: string): Promise<PostRecord>;
  profiles(ids: Iterable<string>): Promise<Map<string, PublicProfile>>;
  present(v: Viewer, posts: PostRecord[]): Promise<Moment[]>;
  presentComments(comments: CommentRecord[]): Promise<MomentComment[]>;
  /** Record a notification for `userId` and push it to their devices (nothing for oneself). */
  notify(
    userId: string,
    kind: MomentNotificationKind,
    post: PostRecord,
    actorId: string | null,
    commentId?: string,
  ): Promise<void>;
  /** The notifications `v` may see, with what they point at. */
  presentNotifications(v: Viewer, records: NotificationRecord[]): Promise<MomentNotification[]>;
  emitDraft(caller: Caller, body: EventBody<'moments.draft.v1'>): void;
}

export function createMomentsContext(d: MomentsDeps): MomentsContext {
  async function viewer(userId: string): Promise<Viewer> {
    const [friends, blocked] = await Promise.all([
      d.contacts.friendIds(userId),
      d.friends.blockedEitherWay(userId),
    ]);
    return { userId, friends: new Set(friends), blocked: new Set(blocked) };
  }

  async function profiles(ids: Iterable<string>): Promise<Map<string, PublicProfile>> {
    const unique = [...new Set(ids)];
    const map = new Map<string, PublicProfile>();
    for (let i = 0; i < unique.length; i += PROFILE_CHUNK) {
      for (const p of await d.users.profiles(unique.slice(i, i + PROFILE_CHUNK))) map.set(p.id, p);
    }
    return map;
  }

  function commentOf(c: CommentRecord, people: Map<string, PublicProfile>): MomentComment[] {
    const author = people.get(c.authorId);
    if (!author) return [];
    const replyTo = c.replyToUserId === null ? null : (people.get(c.replyToUserId) ?? null);
    return [{ ...c, author, replyTo }];
  }

  async function presentComments(comments: CommentRecord[]): Promise<MomentComment[]> {
    const people = await profiles(
      comments.flatMap((c) => [c.authorId, ...(c.replyToUserId ? [c.replyToUserId] : [])]),
    );
    return comments.flatMap((c) => commentOf(c, people));
  }

  async function present(v: Viewer, posts: PostRecord[]): Promise<Moment[]> {
    const ids = posts.map((p) => p.id);
    const [likes, comments] = await Promise.all([
      d.interactions.likesOf(ids),
      d.interactions.commentsOf(ids),
    ]);
    const byId = new Map(posts.map((p) => [p.id, p]));
    const seenLikes = likes.filter((l) => canSeeActor(v, byId.get(l.postId)!, l.userId));
    const seenComments = comments.filter((c) => canSeeActor(v, byId.get(c.postId)!, c.authorId));
    const people = await profiles([
      ...posts.map((p) => p.authorId),
      ...seenLikes.map((l) => l.userId),
      ...seenComments.flatMap((c) => [c.authorId, ...(c.replyToUserId ? [c.replyToUserId] : [])]),
    ]);
    return posts.flatMap((p) => {
      const author = people.get(p.authorId);
      if (!author) return [];
      const postLikes: MomentLike[] = seenLikes
        .filter((l) => l.postId === p.id)
        .flatMap((l) => {
          const user = people.get(l.userId);
          return user ? [{ userId: l.userId, user, createdAt: l.createdAt }] : [];
        });
      const postComments = seenComments.filter((c) => c.postId === p.id);
      return [
        {
          id: p.id,
          authorId: p.authorId,
          author,
          text: p.text,
          media: p.media,
          location: p.location,
          mentions: p.mentions,
          visibility: p.authorId === v.userId ? p.visibility : null,
          likes: postLikes,
          likedByMe: postLikes.some((l) => l.userId === v.userId),
          comments: postComments
            .slice(0, INLINE_COMMENTS)
            .reverse()
            .flatMap((c) => commentOf(c, people)),
          commentCount: postComments.length,
          createdAt: p.createdAt,
        },
      ];
    });
  }

  async function visiblePost(v: Viewer, postId: string): Promise<PostRecord> {
    const post = await d.posts.byId(postId);
    if (!post || !canSeePost(v, post)) throw new AppError('MOMENT_NOT_FOUND', { id: postId });
    return post;
  }

  async function presentNotifications(
    v: Viewer,
    records: NotificationRecord[],
  ): Promise<MomentNotification[]> {
    const posts = new Map(
      (await d.posts.byIds([...new Set(records.map((r) => r.postId))])).map((p) => [p.id, p]),
    );
    const commentIds = records.flatMap((r) => (r.commentId ? [r.commentId] : []));
    const comments = new Map((await d.interactions.commentsByIds(commentIds)).map((c) => [c.id, c]));
    const shown = records.filter((r) => {
      const post = posts.get(r.postId);
      if (!post) return false;
      if (r.kind === 'removed') return post.authorId === v.userId;
      if (!canSeePost(v, post)) return false;
      if (r.actorId !== null && !canSeeActor(v, post, r.actorId)) return false;
      return r.commentId === null || comments.has(r.commentId);
    });
    const people = await profiles(shown.flatMap((r) => (r.actorId ? [r.actorId] : [])));
    return shown.map((r) => {
      const post = posts.get(r.postId)!;
      return {
        id: r.id,
        kind: r.kind,
        postId: r.postId,
        actorId: r.actorId,
        actor: r.actorId === null ? null : (people.get(r.actorId) ?? null),
        commentId: r.commentId,
        text: r.commentId === null ? null : (comments.get(r.commentId)?.text ?? null),
        postExcerpt: [...post.text].slice(0, 100).join(''),
        postMediaFileId: post.media[0]?.fileId ?? null,
        read: r.read,
        createdAt: r.createdAt,
      };
    });
  }

  async function notify(
    userId: string,
    kind: MomentNotificationKind,
    post: PostRecord,
    actorId: string | null,
    commentId?: string,
  ): Promise<void> {
    if (userId === actorId) return;
    const record: NotificationRecord = {
      id: newId(),
      userId,
      kind,
      postId: post.id,
      actorId,
      commentId: commentId ?? null,
      read: false,
      createdAt: d.now(),
    };
    const [shown] = await presentNotifications(await viewer(userId), [record]);
    // Nothing is kept that its recipient could not see (e.g. a reply by someone they blocked).
    if (!shown) return;
    await d.interactions.notify(record);
    d.events.emit([userId], 'moments.interaction.v1', shown);
  }

  return {
    ...d,
    viewer,
    visiblePost,
    profiles,
    present,
    presentComments,
    notify,
    presentNotifications,
    emitDraft: (caller, body) =>
      d.events.emit([caller.userId], 'moments.draft.v1', body, { exceptSessionId: caller.sessionId }),
  };
}
