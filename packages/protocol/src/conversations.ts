import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { Message } from './messages.ts';

export const MAX_GROUP_MEMBERS = 1000;

export const ConversationKind = Type.Union([
  Type.Literal('direct'),
  Type.Literal('group'),
  Type.Literal('channel'),
  Type.Literal('system'),
]);
export type ConversationKind = Static<typeof ConversationKind>;

export const MemberRole = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);
export type MemberRole = Static<typeof MemberRole>;

export const Draft = Type.Object({ text: Type.String({ maxLength: 4096 }), updatedAt: Timestamp });
export type Draft = Static<typeof Draft>;

/** One member's own settings for a conversation; they follow the user to every device. */
export const MemberSettings = Type.Object({
  conversationId: Id,
  readSeq: Type.Integer({ minimum: 0 }),
  pinned: Type.Boolean(),
  muted: Type.Boolean(),
  hidden: Type.Boolean(),
  draft: Type.Union([Draft, Type.Null()]),
});
export type MemberSettings = Static<typeof MemberSettings>;

/** Group state every member sees (absent for direct chats). */
export const GroupInfo = Type.Object({
  avatarImageId: Type.Union([Id, Type.Null()]),
  /** Shown at the top of the group; null when none. */
  announcement: Type.Union([
    Type.Object({ text: Type.String(), updatedAt: Timestamp, byUserId: Id }),
    Type.Null(),
  ]),
  /** Invitations by plain members and joins by code wait for an admin. */
  joinApproval: Type.Boolean(),
  /** Only the owner and admins may send. */
  muteAll: Type.Boolean(),
  /** Dissolved automatically after `groups.temporaryIdleDays` without use. */
  temporary: Type.Boolean(),
  /** Set once dissolved: history stays readable, nobody may send. */
  dissolvedAt: Type.Union([Timestamp, Type.Null()]),
  /** Until when I may not send (muted by an admin); null when I may. */
  myMutedUntil: Type.Union([Timestamp, Type.Null()]),
});
export type GroupInfo = Static<typeof GroupInfo>;

export const Conversation = Type.Object({
  id: Id,
  kind: ConversationKind,
  /** Group title; for a direct chat, empty (show the peer's name). */
  title: Type.String(),
  ownerId: Type.Union([Id, Type.Null()]),
  /** The other user of a direct chat. */
  peerId: Type.Union([Id, Type.Null()]),
  memberCount: Type.Integer(),
  lastSeq: Type.Integer({ minimum: 0 }),
  lastMessage: Type.Union([Message, Type.Null()]),
  unreadCount: Type.Integer({ minimum: 0 }),
  /** Whether a message since my read position mentions me (or all). */
  mentionedMe: Type.Boolean(),
  me: MemberSettings,
  role: MemberRole,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Present for groups. */
  group: Type.Optional(GroupInfo),
});
export type Conversation = Static<typeof Conversation>;

export const ConversationListQuery = Type.Object({
  /** Cursor of a previous list: only conversations changed since. */
  since: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ConversationListQuery = Static<typeof ConversationListQuery>;

export const ConversationList = Type.Object({
  conversations: Type.Array(Conversation),
  /** Pass as `since` next time. */
  cursor: Type.Integer({ minimum: 0 }),
});
export type ConversationList = Static<typeof ConversationList>;

export const ConversationRef = Type.Object({ conversationId: Id });
export type ConversationRef = Static<typeof ConversationRef>;

export const OpenDirectBody = Type.Object({ userId: Id });
export type OpenDirectBody = Static<typeof OpenDirectBody>;

export const CreateGroupBody = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 64 }),
  memberIds: Type.Array(Id, { maxItems: MAX_GROUP_MEMBERS - 1, uniqueItems: true }),
  /** A temporary group (an ad-hoc task): dissolved after `groups.temporaryIdleDays` unused. */
  temporary: Type.Optional(Type.Boolean()),
});
export type CreateGroupBody = Static<typeof CreateGroupBody>;

export const RenameGroupBody = Type.Object({
  conversationId: Id,
  title: Type.String({ minLength: 1, maxLength: 64 }),
});
export type RenameGroupBody = Static<typeof RenameGroupBody>;

export const MembersBody = Type.Object({
  conversationId: Id,
  userIds: Type.Array(Id, { minItems: 1, maxItems: MAX_GROUP_MEMBERS, uniqueItems: true }),
});
export type MembersBody = Static<typeof MembersBody>;

export const Member = Type.Object({
  userId: Id,
  role: MemberRole,
  joinedAt: Timestamp,
  readSeq: Type.Integer(),
  /** Group nickname: shown instead of the profile nickname in this group. */
  nickname: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** Muted by an admin until this time. */
  mutedUntil: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});
export type Member = Static<typeof Member>;
export const MemberList = Type.Object({
  members: Type.Array(Member),
  /** groups.addMembers: users who now wait for an admin's approval (join approval is on). */
  requested: Type.Optional(Type.Array(Id)),
});
export type MemberList = Static<typeof MemberList>;

export const UpdateSettingsBody = Type.Object(
  {
    conversationId: Id,
    pinned: Type.Optional(Type.Boolean()),
    muted: Type.Optional(Type.Boolean()),
    hidden: Type.Optional(Type.Boolean()),
  },
  { minProperties: 2 },
);
export type UpdateSettingsBody = Static<typeof UpdateSettingsBody>;

export const SaveDraftBody = Type.Object({ conversationId: Id, text: Type.String({ maxLength: 4096 }) });
export type SaveDraftBody = Static<typeof SaveDraftBody>;

export const MarkReadBody = Type.Object({ conversationId: Id, seq: Type.Integer({ minimum: 0 }) });
export type MarkReadBody = Static<typeof MarkReadBody>;
export const ReadPosition = Type.Object({ conversationId: Id, readSeq: Type.Integer({ minimum: 0 }) });
export type ReadPosition = Static<typeof ReadPosition>;

export const TypingBody = Type.Object({ conversationId: Id, typing: Type.Boolean() });
export type TypingBody = Static<typeof TypingBody>;

export const PresenceQuery = Type.Object({ userIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }) });
export type PresenceQuery = Static<typeof PresenceQuery>;
export const PresenceList = Type.Object({
  presence: Type.Array(Type.Object({ userId: Id, online: Type.Boolean() })),
});
export type PresenceList = Static<typeof PresenceList>;
