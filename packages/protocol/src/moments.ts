import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { PublicProfile } from './users.ts';

/** The longest post text, in characters. */
export const MOMENT_TEXT_MAX = 2000;
/** The most images one post may carry (or exactly one video). */
export const MOMENT_IMAGES_MAX = 9;
/** The longest comment, in characters. */
export const MOMENT_COMMENT_MAX = 500;
/** The most users one post may mention. */
export const MOMENT_MENTIONS_MAX = 20;

/** Who sees a post (R-W1): anyone signed in, the author's friends, or only the author. */
export const MomentVisibility = Type.Union([
  Type.Literal('everyone'),
  Type.Literal('friends'),
  Type.Literal('self'),
]);
export type MomentVisibility = Static<typeof MomentVisibility>;

/**
 * One image or the video of a post; anyone who may see the post (and an operator reviewing a report of
 * it) gets it with `files.link {id: fileId}`.
 */
export const MomentMedia = Type.Object({
  fileId: Id,
  kind: Type.Union([Type.Literal('image'), Type.Literal('video')]),
  mime: Type.String(),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  hasThumbnail: Type.Boolean(),
});
export type MomentMedia = Static<typeof MomentMedia>;

/** A like, shown only when the viewer may see the liker (see `Moment`). */
export const MomentLike = Type.Object({ userId: Id, user: PublicProfile, createdAt: Timestamp });
export type MomentLike = Static<typeof MomentLike>;

/** A comment, or a reply to another comment of the same post. */
export const MomentComment = Type.Object({
  id: Id,
  postId: Id,
  authorId: Id,
  author: PublicProfile,
  text: Type.String(),
  replyToCommentId: Type.Union([Id, Type.Null()]),
  /** The author of the comment replied to (null for a top-level comment). */
  replyToUserId: Type.Union([Id, Type.Null()]),
  replyTo: Type.Union([PublicProfile, Type.Null()]),
  createdAt: Timestamp,
});
export type MomentComment = Static<typeof MomentComment>;

/**
 * A post as the caller may see it. Likes and comments are filtered for the viewer: the author
 * sees all; anyone else sees those by the author, by themself, and by the author's friends who are
 * also their own friends; blocked users (either way) see nothing of each other.
 */
export const Moment = Type.Object({
  id: Id,
  authorId: Id,
  author: PublicProfile,
  text: Type.String(),
  media: Type.Array(MomentMedia),
  location: Type.Union([Type.String(), Type.Null()]),
  mentions: Type.Array(Id),
  /** The visibility the author chose; only the author is told (null for everyone else). */
  visibility: Type.Union([MomentVisibility, Type.Null()]),
  likes: Type.Array(MomentLike),
  likedByMe: Type.Boolean(),
  /** The newest visible comments, oldest first (at most 50; `commentCount` says how many in all). */
  comments: Type.Array(MomentComment),
  commentCount: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
});
export type Moment = Static<typeof Moment>;

/** An opaque pagination cursor: pass the `nextCursor` of the previous page. */
export const MomentCursor = Type.String({ minLength: 1, maxLength: 128 });

export const MomentPageLimit = Type.Integer({ minimum: 1, maximum: 50 });

export const CreateMomentBody = Type.Object(
  {
    text: Type.String({ maxLength: MOMENT_TEXT_MAX }),
    /** Up to 9 ready images or one ready video, uploaded by the caller; in display order. */
    fileIds: Type.Optional(Type.Array(Id, { maxItems: MOMENT_IMAGES_MAX, uniqueItems: true })),
    visibility: MomentVisibility,
    location: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Users who must be able to see the post; they get a `mention` notification. */
    mentions: Type.Optional(Type.Array(Id, { maxItems: MOMENT_MENTIONS_MAX, uniqueItems: true })),
    /** The post draft this sends (cleared server-side); defaults to `post`. */
    draftKey: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type CreateMomentBody = Static<typeof CreateMomentBody>;

export const MomentIdParams = Type.Object({ id: Id });
export type MomentIdParams = Static<typeof MomentIdParams>;

export const MomentPostParams = Type.Object({ postId: Id });
export type MomentPostParams = Static<typeof MomentPostParams>;

export const SetMomentVisibilityBody = Type.Object(
  { id: Id, visibility: MomentVisibility },
  { additionalProperties: false },
);
export type SetMomentVisibilityBody = Static<typeof SetMomentVisibilityBody>;

/** everyone: all posts visible to me; friends: my friends' (and my own); mine: my own. */
export const MomentFeedScope = Type.Union([
  Type.Literal('everyone'),
  Type.Literal('friends'),
  Type.Literal('mine'),
]);
export type MomentFeedScope = Static<typeof MomentFeedScope>;

export const MomentFeedQuery = Type.Object(
  { scope: MomentFeedScope, before: Type.Optional(MomentCursor), limit: Type.Optional(MomentPageLimit) },
  { additionalProperties: false },
);
export type MomentFeedQuery = Static<typeof MomentFeedQuery>;

/**
 * Search the posts I may see (the "everyone" feed) for text in their words or location label.
 * A page looks through a bounded number of posts: it may hold fewer than `limit` matches, even
 * none, while `nextCursor` is not null (go on from there).
 */
export const MomentSearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }),
    before: Type.Optional(MomentCursor),
    limit: Type.Optional(MomentPageLimit),
  },
  { additionalProperties: false },
);
export type MomentSearchQuery = Static<typeof MomentSearchQuery>;

/** Newest first; `nextCursor` is null on the last page. */
export const MomentPage = Type.Object({
  items: Type.Array(Moment),
  nextCursor: Type.Union([MomentCursor, Type.Null()]),
});
export type MomentPage = Static<typeof MomentPage>;

export const UserMomentsQuery = Type.Object(
  { userId: Id, before: Type.Optional(MomentCursor), limit: Type.Optional(MomentPageLimit) },
  { additionalProperties: false },
);
export type UserMomentsQuery = Static<typeof UserMomentsQuery>;

/** A user's page: their cover image and the posts the caller may see. */
export const UserMomentsPage = Type.Object({
  profile: PublicProfile,
  coverFileId: Type.Union([Id, Type.Null()]),
  items: Type.Array(Moment),
  nextCursor: Type.Union([MomentCursor, Type.Null()]),
});
export type UserMomentsPage = Static<typeof UserMomentsPage>;

/** An uploaded, ready image of mine; null removes the cover. */
export const SetMomentCoverBody = Type.Object(
  { fileId: Type.Union([Id, Type.Null()]) },
  { additionalProperties: false },
);
export type SetMomentCoverBody = Static<typeof SetMomentCoverBody>;

export const MomentCover = Type.Object({ coverFileId: Type.Union([Id, Type.Null()]) });
export type MomentCover = Static<typeof MomentCover>;

export const MomentLikeList = Type.Object({ items: Type.Array(MomentLike) });
export type MomentLikeList = Static<typeof MomentLikeList>;

export const CreateMomentCommentBody = Type.Object(
  {
    postId: Id,
    text: Type.String({ minLength: 1, maxLength: MOMENT_COMMENT_MAX }),
    replyToCommentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateMomentCommentBody = Static<typeof CreateMomentCommentBody>;

export const MomentCommentsQuery = Type.Object(
  { postId: Id, before: Type.Optional(MomentCursor), limit: Type.Optional(MomentPageLimit) },
  { additionalProperties: false },
);
export type MomentCommentsQuery = Static<typeof MomentCommentsQuery>;

/** Visible comments, newest first. */
export const MomentCommentPage = Type.Object({
  items: Type.Array(MomentComment),
  nextCursor: Type.Union([MomentCursor, Type.Null()]),
});
export type MomentCommentPage = Static<typeof MomentCommentPage>;

export const MomentCommentParams = Type.Object({ commentId: Id });
export type MomentCommentParams = Static<typeof MomentCommentParams>;

export const MomentUnseenQuery = Type.Object({ since: Timestamp }, { additionalProperties: false });
export type MomentUnseenQuery = Static<typeof MomentUnseenQuery>;

/** Posts by others visible to me (the "everyone" feed) created after `since`. */
export const MomentUnseen = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  /** Who posted the newest of them (for the indicator's avatar); null when count is 0. */
  latestAuthor: Type.Union([PublicProfile, Type.Null()]),
});
export type MomentUnseen = Static<typeof MomentUnseen>;

/** like: on my post; comment: on my post; reply: to my comment; mention: in a post; removed: my post by an operator. */
export const MomentNotificationKind = Type.Union([
  Type.Literal('like'),
  Type.Literal('comment'),
  Type.Literal('reply'),
  Type.Literal('mention'),
  Type.Literal('removed'),
]);
export type MomentNotificationKind = Static<typeof MomentNotificationKind>;

/** One "new interaction", shown only while its post and its comment stay visible to me. */
export const MomentNotification = Type.Object({
  id: Id,
  kind: MomentNotificationKind,
  postId: Id,
  /** Who did it (null for `removed`). */
  actorId: Type.Union([Id, Type.Null()]),
  actor: Type.Union([PublicProfile, Type.Null()]),
  commentId: Type.Union([Id, Type.Null()]),
  /** The comment's text (comment, reply), else null. */
  text: Type.Union([Type.String(), Type.Null()]),
  /** The post's text, cut to 100 characters, and its first image or video. */
  postExcerpt: Type.String(),
  postMediaFileId: Type.Union([Id, Type.Null()]),
  read: Type.Boolean(),
  createdAt: Timestamp,
});
export type MomentNotification = Static<typeof MomentNotification>;

export const MomentNotificationsQuery = Type.Object(
  { before: Type.Optional(MomentCursor), limit: Type.Optional(MomentPageLimit) },
  { additionalProperties: false },
);
export type MomentNotificationsQuery = Static<typeof MomentNotificationsQuery>;

export const MomentNotificationPage = Type.Object({
  items: Type.Array(MomentNotification),
  nextCursor: Type.Union([MomentCursor, Type.Null()]),
  /** Visible unread notifications in all. */
  unread: Type.Integer({ minimum: 0 }),
});
export type MomentNotificationPage = Static<typeof MomentNotificationPage>;

export const MomentDraftKind = Type.Union([Type.Literal('post'), Type.Literal('comment')]);
export type MomentDraftKind = Static<typeof MomentDraftKind>;

/** What an unsent post or comment holds. */
export const MomentDraftContent = Type.Object(
  {
    text: Type.String({ maxLength: MOMENT_TEXT_MAX }),
    fileIds: Type.Optional(Type.Array(Id, { maxItems: MOMENT_IMAGES_MAX })),
    visibility: Type.Optional(MomentVisibility),
    location: Type.Optional(Type.String({ maxLength: 100 })),
    mentions: Type.Optional(Type.Array(Id, { maxItems: MOMENT_MENTIONS_MAX })),
    replyToCommentId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type MomentDraftContent = Static<typeof MomentDraftContent>;

/** The key of a draft: the post id for a comment draft; for a post draft, usually `post`. */
export const MomentDraftKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });

export const SaveMomentDraftBody = Type.Object(
  { kind: MomentDraftKind, key: MomentDraftKey, content: MomentDraftContent },
  { additionalProperties: false },
);
export type SaveMomentDraftBody = Static<typeof SaveMomentDraftBody>;

export const MomentDraft = Type.Object({
  kind: MomentDraftKind,
  key: Type.String(),
  content: MomentDraftContent,
  updatedAt: Timestamp,
});
export type MomentDraft = Static<typeof MomentDraft>;

export const MomentDraftList = Type.Object({ items: Type.Array(MomentDraft) });
export type MomentDraftList = Static<typeof MomentDraftList>;

export const DeleteMomentDraftQuery = Type.Object(
  { kind: MomentDraftKind, key: MomentDraftKey },
  { additionalProperties: false },
);
export type DeleteMomentDraftQuery = Static<typeof DeleteMomentDraftQuery>;

export const ReportMomentBody = Type.Object(
  { postId: Id, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type ReportMomentBody = Static<typeof ReportMomentBody>;

export const MomentReportStatus = Type.Union([
  Type.Literal('open'),
  Type.Literal('removed'),
  Type.Literal('dismissed'),
]);
export type MomentReportStatus = Static<typeof MomentReportStatus>;

/** A report as operators see it, with the reported post whatever its visibility. */
export const MomentReport = Type.Object({
  id: Id,
  postId: Id,
  reporterId: Id,
  reporter: PublicProfile,
  reason: Type.String(),
  status: MomentReportStatus,
  post: Type.Object({
    authorId: Id,
    author: PublicProfile,
    text: Type.String(),
    media: Type.Array(MomentMedia),
    createdAt: Timestamp,
    /** Deleted by its author or removed by an operator. */
    gone: Type.Boolean(),
  }),
  createdAt: Timestamp,
  resolvedAt: Type.Union([Timestamp, Type.Null()]),
  resolvedBy: Type.Union([Id, Type.Null()]),
});
export type MomentReport = Static<typeof MomentReport>;

export const MomentReportsQuery = Type.Object(
  {
    status: Type.Optional(MomentReportStatus),
    before: Type.Optional(MomentCursor),
    limit: Type.Optional(MomentPageLimit),
  },
  { additionalProperties: false },
);
export type MomentReportsQuery = Static<typeof MomentReportsQuery>;

export const MomentReportPage = Type.Object({
  items: Type.Array(MomentReport),
  nextCursor: Type.Union([MomentCursor, Type.Null()]),
});
export type MomentReportPage = Static<typeof MomentReportPage>;

/** remove: hide the post for everyone (resolves every open report of it) and tell the author. */
export const ResolveMomentReportBody = Type.Object(
  { reportId: Id, action: Type.Union([Type.Literal('remove'), Type.Literal('dismiss')]) },
  { additionalProperties: false },
);
export type ResolveMomentReportBody = Static<typeof ResolveMomentReportBody>;

/** To the devices of everyone who may see a new post (for the new-posts indicator). */
export const MomentNewEvent = Type.Object({ postId: Id, authorId: Id, createdAt: Timestamp });
export type MomentNewEvent = Static<typeof MomentNewEvent>;

/** To my devices when something concerns me (a like, comment, reply, mention, removal). */
export const MomentInteractionEvent = MomentNotification;

/** To all my devices when a draft is saved (draft) or cleared (null). */
export const MomentDraftEvent = Type.Object({
  kind: MomentDraftKind,
  key: Type.String(),
  draft: Type.Union([MomentDraft, Type.Null()]),
});
export type MomentDraftEvent = Static<typeof MomentDraftEvent>;
