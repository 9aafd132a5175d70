import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { Contact, Remark } from './contacts.ts';
import { PublicProfile } from './users.ts';

/**
 * A user's own "致信号": 6–20 characters, a letter first, then letters, digits, `_` or `-`.
 * Unique without regard to case; shown as the user typed it.
 */
export const AccountHandle = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{5,19}$' });
export type AccountHandle = Static<typeof AccountHandle>;

export const SetAccountBody = Type.Object({ account: AccountHandle }, { additionalProperties: false });
export type SetAccountBody = Static<typeof SetAccountBody>;

/** Who may add me: after my approval, anyone at once, or nobody. */
export const AddPolicy = Type.Union([Type.Literal('verify'), Type.Literal('anyone'), Type.Literal('nobody')]);
export type AddPolicy = Static<typeof AddPolicy>;

/** My friend-related privacy settings. */
export const FriendPrivacy = Type.Object({
  addPolicy: AddPolicy,
  findableByPhone: Type.Boolean(),
  findableByAccount: Type.Boolean(),
});
export type FriendPrivacy = Static<typeof FriendPrivacy>;

export const UpdatePrivacyBody = Type.Object(
  {
    addPolicy: Type.Optional(AddPolicy),
    findableByPhone: Type.Optional(Type.Boolean()),
    findableByAccount: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePrivacyBody = Static<typeof UpdatePrivacyBody>;

/** A phone number (any accepted form) or a 致信号. */
export const FriendSearchQuery = Type.Object({ query: Type.String({ minLength: 1, maxLength: 32 }) });
export type FriendSearchQuery = Static<typeof FriendSearchQuery>;

export const FriendSearchResult = Type.Object({
  profile: PublicProfile,
  /** Already in my contacts (we are friends). */
  isFriend: Type.Boolean(),
});
export type FriendSearchResult = Static<typeof FriendSearchResult>;

/** What the requester writes; shown to the target. */
export const FriendRequestMessage = Type.String({ maxLength: 100 });

export const FriendRequestStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('expired'),
]);
export type FriendRequestStatus = Static<typeof FriendRequestStatus>;

/**
 * One friend request with both sides' public profiles. `remark` is the requester's planned remark
 * for the target: only the requester ever sees it (empty for the target).
 */
export const FriendRequest = Type.Object({
  id: Id,
  fromUserId: Id,
  toUserId: Id,
  message: FriendRequestMessage,
  remark: Remark,
  status: FriendRequestStatus,
  from: PublicProfile,
  to: PublicProfile,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** A pending request turns into `expired` at this time (7 days after the last send). */
  expiresAt: Timestamp,
});
export type FriendRequest = Static<typeof FriendRequest>;

export const FriendRequestList = Type.Object({
  incoming: Type.Array(FriendRequest),
  outgoing: Type.Array(FriendRequest),
});
export type FriendRequestList = Static<typeof FriendRequestList>;

export const SendFriendRequestBody = Type.Object(
  { userId: Id, message: FriendRequestMessage, remark: Type.Optional(Remark) },
  { additionalProperties: false },
);
export type SendFriendRequestBody = Static<typeof SendFriendRequestBody>;

/** `pending`: waiting for the target. `friends`: the target lets anyone add them; here is my new contact. */
export const SendFriendRequestResult = Type.Object({
  outcome: Type.Union([Type.Literal('pending'), Type.Literal('friends')]),
  request: Type.Union([FriendRequest, Type.Null()]),
  contact: Type.Union([Contact, Type.Null()]),
});
export type SendFriendRequestResult = Static<typeof SendFriendRequestResult>;

export const AcceptFriendRequestBody = Type.Object(
  { requestId: Id, remark: Type.Optional(Remark) },
  { additionalProperties: false },
);
export type AcceptFriendRequestBody = Static<typeof AcceptFriendRequestBody>;

export const FriendRequestParams = Type.Object({ requestId: Id });
export type FriendRequestParams = Static<typeof FriendRequestParams>;

export const FriendUserParams = Type.Object({ userId: Id });
export type FriendUserParams = Static<typeof FriendUserParams>;

export const BlockedUser = Type.Object({ userId: Id, profile: PublicProfile, createdAt: Timestamp });
export type BlockedUser = Static<typeof BlockedUser>;

export const BlockedList = Type.Object({ users: Type.Array(BlockedUser) });
export type BlockedList = Static<typeof BlockedList>;

/** To both users' devices when a request is sent, merged, accepted or declined (decline: the target's only). */
export const FriendRequestEvent = FriendRequest;
/** To both users' devices when a friendship ends; `userId` is the other side, seen by the recipient. */
export const FriendRemovedEvent = Type.Object({ userId: Id });
export type FriendRemovedEvent = Static<typeof FriendRemovedEvent>;
/** To my other devices when my block list changes. */
export const BlockChangedEvent = Type.Object({ userId: Id, blocked: Type.Boolean() });
export type BlockChangedEvent = Static<typeof BlockChangedEvent>;
