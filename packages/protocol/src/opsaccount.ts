import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';
import { Message, MessageList } from './messages.ts';
import { PublicProfile } from './users.ts';

/** Text the operations account sends: the same limit as any text message (2,048 bytes, checked by the server). */
export const OpsText = Type.String({ minLength: 1, maxLength: 2048 });

/** Who a message of the operations account goes to: one user, a department (recursively) or everyone. */
export const OpsTarget = Type.Union([
  Type.Object({ userId: Id }, { additionalProperties: false }),
  Type.Object({ departmentId: Id }, { additionalProperties: false }),
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
]);
export type OpsTarget = Static<typeof OpsTarget>;

/** The operations account as clients see it. */
export const OpsAccountInfo = Type.Object({
  userId: Id,
  name: Type.String(),
  /** My chat with the operations account (created on first use). */
  conversationId: Id,
  /** The account's channel: its posts to everyone, read-only for me. */
  channelId: Id,
});
export type OpsAccountInfo = Static<typeof OpsAccountInfo>;

export const OpsSendBody = Type.Object({ target: OpsTarget, text: OpsText }, { additionalProperties: false });
export type OpsSendBody = Static<typeof OpsSendBody>;

export const BroadcastStatus = Type.Union([Type.Literal('running'), Type.Literal('done')]);
export type BroadcastStatus = Static<typeof BroadcastStatus>;

/**
 * One send of the operations account. Sends to many users are delivered in the background, in
 * batches; `delivered` counts the recipients whose chat holds the message so far.
 */
export const Broadcast = Type.Object({
  id: Id,
  senderId: Id,
  target: OpsTarget,
  text: Type.String(),
  status: BroadcastStatus,
  total: Type.Integer({ minimum: 0 }),
  delivered: Type.Integer({ minimum: 0 }),
  createdAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
});
export type Broadcast = Static<typeof Broadcast>;

export const BroadcastListQuery = Type.Object(
  {
    /** `nextCursor` of the previous page. */
    cursor: Type.Optional(Type.String({ maxLength: 128 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type BroadcastListQuery = Static<typeof BroadcastListQuery>;

export const BroadcastList = Type.Object({
  broadcasts: Type.Array(Broadcast),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type BroadcastList = Static<typeof BroadcastList>;

export const FeedbackStatus = Type.Union([Type.Literal('open'), Type.Literal('answered')]);
export type FeedbackStatus = Static<typeof FeedbackStatus>;

/** One user's conversation with the operations account, as the feedback inbox shows it. */
export const FeedbackItem = Type.Object({
  userId: Id,
  conversationId: Id,
  profile: PublicProfile,
  status: FeedbackStatus,
  /** The user's latest message to the operations account. */
  lastMessage: Type.Union([Message, Type.Null()]),
  updatedAt: Timestamp,
});
export type FeedbackItem = Static<typeof FeedbackItem>;

export const FeedbackQuery = Type.Object(
  {
    status: Type.Optional(FeedbackStatus),
    cursor: Type.Optional(Type.String({ maxLength: 128 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type FeedbackQuery = Static<typeof FeedbackQuery>;

export const FeedbackList = Type.Object({
  items: Type.Array(FeedbackItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type FeedbackList = Static<typeof FeedbackList>;

export const FeedbackReplyBody = Type.Object({ userId: Id, text: OpsText }, { additionalProperties: false });
export type FeedbackReplyBody = Static<typeof FeedbackReplyBody>;

export const FeedbackThreadQuery = Type.Object(
  {
    userId: Id,
    /** Messages with seq strictly below this (the newest page when absent). */
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type FeedbackThreadQuery = Static<typeof FeedbackThreadQuery>;

export const OpsInfoQuery = Type.Object({}, { additionalProperties: false });
export type OpsInfoQuery = Static<typeof OpsInfoQuery>;

/** Sent to every administrator's devices when a user writes to the operations account. */
export const FeedbackEvent = FeedbackItem;

export const FeedbackThread = MessageList;
