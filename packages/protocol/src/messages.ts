import { Type, type Static } from 'typebox';
import { CallRecord } from './calls.ts';
import { Id, Timestamp } from './common.ts';

/** Text limit of R-L2, counted in UTF-8 bytes (the server checks bytes; the schema bounds characters). */
export const MAX_TEXT_BYTES = 2048;
/** Voice limit of R-L2. */
export const MAX_VOICE_MS = 60_000;
/** Client-generated idempotency key of a message. */
export const ClientId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
/** `'all'` mentions every member of a group. */
export const Mention = Type.Union([Id, Type.Literal('all')]);
export const Emoji = Type.String({ minLength: 1, maxLength: 32 });

/** Content is stored as given: unknown properties are refused rather than kept. */
const STRICT = { additionalProperties: false } as const;

const Mime = Type.String({ minLength: 3, maxLength: 128 });
const Bytes = Type.Integer({ minimum: 0, maximum: 1024 ** 3 });
const Pixels = Type.Integer({ minimum: 1, maximum: 65_535 });

export const TextContent = Type.Object(
  {
    kind: Type.Literal('text'),
    text: Type.String({ minLength: 1, maxLength: MAX_TEXT_BYTES }),
  },
  STRICT,
);
export const ImageContent = Type.Object(
  {
    kind: Type.Literal('image'),
    fileId: Id,
    mime: Mime,
    size: Bytes,
    width: Pixels,
    height: Pixels,
    thumbnailFileId: Type.Optional(Id),
  },
  STRICT,
);
export const FileContent = Type.Object(
  {
    kind: Type.Literal('file'),
    fileId: Id,
    name: Type.String({ minLength: 1, maxLength: 255 }),
    mime: Mime,
    size: Bytes,
  },
  STRICT,
);
export const VoiceContent = Type.Object(
  {
    kind: Type.Literal('voice'),
    fileId: Id,
    mime: Mime,
    size: Bytes,
    durationMs: Type.Integer({ minimum: 1, maximum: MAX_VOICE_MS }),
  },
  STRICT,
);
export const VideoContent = Type.Object(
  {
    kind: Type.Literal('video'),
    fileId: Id,
    mime: Mime,
    size: Bytes,
    durationMs: Type.Integer({ minimum: 1 }),
    width: Pixels,
    height: Pixels,
    thumbnailFileId: Type.Optional(Id),
  },
  STRICT,
);

export const MessageContent = Type.Union([
  TextContent,
  ImageContent,
  FileContent,
  VoiceContent,
  VideoContent,
]);
export type MessageContent = Static<typeof MessageContent>;

/** What a system message in a group says; the server writes these, clients cannot send them. */
export const SystemEvent = Type.Union([
  Type.Literal('announcement'),
  Type.Literal('dissolved'),
  Type.Literal('expired'),
  Type.Literal('ownerTransferred'),
  Type.Literal('muteAll'),
  Type.Literal('unmuteAll'),
  Type.Literal('joined'),
  /** A 1:1 call ended (in a direct chat): `call` says how. */
  Type.Literal('call'),
]);
export type SystemEvent = Static<typeof SystemEvent>;
export const SystemContent = Type.Object(
  {
    kind: Type.Literal('system'),
    event: SystemEvent,
    /** Who did it (the sender of the message too). */
    actorId: Id,
    /** The announcement text, when `event` is `announcement`. */
    text: Type.Optional(Type.String()),
    /** Users concerned (the new owner, who joined). */
    userIds: Type.Optional(Type.Array(Id)),
    /** The call record, when `event` is `call`. */
    call: Type.Optional(CallRecord),
  },
  STRICT,
);
export type SystemContent = Static<typeof SystemContent>;
export type MessageKind = MessageContent['kind'];
export type TextContent = Static<typeof TextContent>;

export const Reaction = Type.Object({ emoji: Type.String(), userIds: Type.Array(Id) });
export type Reaction = Static<typeof Reaction>;

export const MessageRef = Type.Object({ conversationId: Id, seq: Type.Integer({ minimum: 1 }) });
export type MessageRef = Static<typeof MessageRef>;

export const Message = Type.Object({
  conversationId: Id,
  seq: Type.Integer({ minimum: 1 }),
  id: Id,
  clientId: Type.String(),
  senderId: Id,
  /** Null once recalled; `system` content comes only from the server. */
  content: Type.Union([MessageContent, SystemContent, Type.Null()]),
  mentions: Type.Array(Mention),
  replyTo: Type.Union([
    Type.Object({ seq: Type.Integer(), senderId: Id, preview: Type.String() }),
    Type.Null(),
  ]),
  forwardedFrom: Type.Union([
    Type.Object({ conversationId: Id, seq: Type.Integer(), senderId: Id }),
    Type.Null(),
  ]),
  reactions: Type.Array(Reaction),
  createdAt: Timestamp,
  editedAt: Type.Union([Timestamp, Type.Null()]),
  recalledAt: Type.Union([Timestamp, Type.Null()]),
  /** Time of the last edit, recall or reaction (or creation): the `since` for the next `messages.changes` page. */
  updatedAt: Timestamp,
  /** Changes on every edit, recall and reaction; clients keep the copy with the highest. */
  version: Type.Integer({ minimum: 1 }),
  /** Present (true) once the file this message carries was removed (retention or its owner): "file expired". */
  fileExpired: Type.Optional(Type.Literal(true)),
  /**
   * Present ('tampered') when the stored message failed its integrity check (edited in the database):
   * content, mentions, reply and forward are then empty and nothing else of it is trustworthy.
   */
  integrity: Type.Optional(Type.Literal('tampered')),
});
export type Message = Static<typeof Message>;

export const SendMessageBody = Type.Object({
  conversationId: Id,
  clientId: ClientId,
  content: MessageContent,
  mentions: Type.Optional(Type.Array(Mention, { maxItems: 1000 })),
  replyToSeq: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SendMessageBody = Static<typeof SendMessageBody>;

export const ForwardMessageBody = Type.Object({
  /** Target conversation. */
  conversationId: Id,
  clientId: ClientId,
  from: MessageRef,
});
export type ForwardMessageBody = Static<typeof ForwardMessageBody>;

export const EditMessageBody = Type.Object({
  conversationId: Id,
  seq: Type.Integer({ minimum: 1 }),
  content: TextContent,
  mentions: Type.Optional(Type.Array(Mention, { maxItems: 1000 })),
});
export type EditMessageBody = Static<typeof EditMessageBody>;

export const RecallMessageBody = MessageRef;
export type RecallMessageBody = MessageRef;

export const ReactBody = Type.Object({
  conversationId: Id,
  seq: Type.Integer({ minimum: 1 }),
  emoji: Emoji,
  /** true adds the reaction, false removes it. */
  on: Type.Boolean(),
});
export type ReactBody = Static<typeof ReactBody>;

export const HistoryQuery = Type.Object({
  conversationId: Id,
  /** Messages with seq strictly below this (newest first page when absent). */
  beforeSeq: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Messages with seq strictly above this, oldest first (gap sync). */
  afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export type HistoryQuery = Static<typeof HistoryQuery>;

export const MessageChangesQuery = Type.Object({
  conversationId: Id,
  /** Messages edited, recalled or reacted to after this time (ms). */
  since: Type.Integer({ minimum: 0 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type MessageChangesQuery = Static<typeof MessageChangesQuery>;

export const MessageList = Type.Object({ messages: Type.Array(Message), hasMore: Type.Boolean() });
export type MessageList = Static<typeof MessageList>;

export const ReadersQuery = MessageRef;
export const Readers = Type.Object({ readUserIds: Type.Array(Id), unreadUserIds: Type.Array(Id) });
export type Readers = Static<typeof Readers>;
