import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { Conversation, Member } from './conversations.ts';

/** Announcement text limit (R-L1). */
export const MAX_ANNOUNCEMENT_CHARS = 2000;
/** Group nickname limit. */
export const MAX_GROUP_NICKNAME_CHARS = 32;

export const SetAdminBody = Type.Object({ conversationId: Id, userId: Id, admin: Type.Boolean() });
export type SetAdminBody = Static<typeof SetAdminBody>;

export const TransferOwnershipBody = Type.Object({ conversationId: Id, userId: Id });
export type TransferOwnershipBody = Static<typeof TransferOwnershipBody>;

export const SetGroupAvatarBody = Type.Object({
  conversationId: Id,
  /** An uploaded image (images.upload); null removes the avatar. */
  imageId: Type.Union([Id, Type.Null()]),
});
export type SetGroupAvatarBody = Static<typeof SetGroupAvatarBody>;

export const SetAnnouncementBody = Type.Object({
  conversationId: Id,
  /** Empty text clears the announcement. */
  text: Type.String({ maxLength: MAX_ANNOUNCEMENT_CHARS }),
});
export type SetAnnouncementBody = Static<typeof SetAnnouncementBody>;

export const SetJoinApprovalBody = Type.Object({ conversationId: Id, required: Type.Boolean() });
export type SetJoinApprovalBody = Static<typeof SetJoinApprovalBody>;

export const MuteAllBody = Type.Object({ conversationId: Id, on: Type.Boolean() });
export type MuteAllBody = Static<typeof MuteAllBody>;

export const MuteMemberBody = Type.Object({
  conversationId: Id,
  userId: Id,
  /** Muted until this time; null unmutes. */
  untilMs: Type.Union([Timestamp, Type.Null()]),
});
export type MuteMemberBody = Static<typeof MuteMemberBody>;

export const SetMyNicknameBody = Type.Object({
  conversationId: Id,
  /** Empty text clears it (the profile nickname shows again). */
  nickname: Type.String({ maxLength: MAX_GROUP_NICKNAME_CHARS }),
});
export type SetMyNicknameBody = Static<typeof SetMyNicknameBody>;

/** Someone waiting for an admin to let them in (invited by a member, or by the group code). */
export const JoinRequest = Type.Object({
  id: Id,
  conversationId: Id,
  userId: Id,
  /** The member who invited them; null when they used the group code. */
  inviterId: Type.Union([Id, Type.Null()]),
  createdAt: Timestamp,
});
export type JoinRequest = Static<typeof JoinRequest>;
export const JoinRequestList = Type.Object({ requests: Type.Array(JoinRequest) });
export type JoinRequestList = Static<typeof JoinRequestList>;

export const JoinRequestRef = Type.Object({ conversationId: Id, requestId: Id });
export type JoinRequestRef = Static<typeof JoinRequestRef>;

export const GroupCode = Type.Object({
  /** `ZX1.g.…`: show it as a QR code. */
  code: Type.String(),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
});
export type GroupCode = Static<typeof GroupCode>;

export const GroupCodeBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 2048 }) });
export type GroupCodeBody = Static<typeof GroupCodeBody>;

/** What a group code shows before joining. */
export const GroupPreview = Type.Object({
  conversationId: Id,
  title: Type.String(),
  avatarImageId: Type.Union([Id, Type.Null()]),
  memberCount: Type.Integer(),
  joinApproval: Type.Boolean(),
  /** Whether the caller is already in it. */
  member: Type.Boolean(),
});
export type GroupPreview = Static<typeof GroupPreview>;

export const JoinResult = Type.Object({
  /** `joined`: a member now; `requested`: waiting for an admin's approval. */
  status: Type.Union([Type.Literal('joined'), Type.Literal('requested')]),
  conversation: Type.Union([Conversation, Type.Null()]),
});
export type JoinResult = Static<typeof JoinResult>;

export const MemberResult = Type.Object({ member: Member });
export type MemberResult = Static<typeof MemberResult>;

/** A temporary group as the admin console lists it. */
export const TemporaryGroup = Type.Object({
  conversationId: Id,
  title: Type.String(),
  memberCount: Type.Integer(),
  createdAt: Timestamp,
  /** The last message or change. */
  lastActiveAt: Timestamp,
  dissolvedAt: Type.Union([Timestamp, Type.Null()]),
  /** Unused for `groups.temporaryIdleDays`: the next cleanup dissolves it. */
  idle: Type.Boolean(),
});
export type TemporaryGroup = Static<typeof TemporaryGroup>;
export const TemporaryGroupList = Type.Object({ groups: Type.Array(TemporaryGroup) });
export type TemporaryGroupList = Static<typeof TemporaryGroupList>;

export const CleanupTemporaryBody = Type.Object({ dryRun: Type.Boolean() });
export type CleanupTemporaryBody = Static<typeof CleanupTemporaryBody>;

export const CleanupTemporaryQuery = Type.Object({});
export type CleanupTemporaryQuery = Static<typeof CleanupTemporaryQuery>;
