import { Type, type Static } from 'typebox';
import { CallInviteEvent, CallSignalEvent, CallStateEvent } from './calls.ts';
import { Id, Timestamp } from './common.ts';
import { MeetingControlEvent, MeetingInviteEvent, MeetingUpdatedEvent } from './meetings.ts';
import { ContactRemovedEvent, ContactUpdatedEvent } from './contacts.ts';
import { BlockChangedEvent, FriendRemovedEvent, FriendRequestEvent } from './friends.ts';
import { MemberSettings } from './conversations.ts';
import { Message } from './messages.ts';
import { MomentDraftEvent, MomentInteractionEvent, MomentNewEvent } from './moments.ts';
import { FeedbackEvent } from './opsaccount.ts';
import { Preferences } from './settings.ts';

/** Bumped on every incompatible change of the frames below. */
export const PROTOCOL_VERSION = 1;

/** Why a connection is refused or closed; sent in `bye` frames and as the WebSocket close reason. */
export const CloseReason = {
  ClientTooOld: 'client_too_old',
  AuthTimeout: 'auth_timeout',
  Unauthenticated: 'unauthenticated',
  SessionRevoked: 'session_revoked',
  SlowConsumer: 'slow_consumer',
  HeartbeatTimeout: 'heartbeat_timeout',
  ServerShutdown: 'server_shutdown',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** WebSocket close codes (4000-4999 are ours). */
export const CloseCode = {
  client_too_old: 4000,
  auth_timeout: 4001,
  unauthenticated: 4002,
  session_revoked: 4003,
  slow_consumer: 4004,
  heartbeat_timeout: 4005,
  server_shutdown: 1001,
} as const satisfies Record<CloseReason, number>;

// ---- client -> server ----

/**
 * Who keeps the link alive. `client` (the default): the client pings every `heartbeatMs`. `server`:
 * the server pings a client it heard nothing from in a period and the client answers `pong`; the
 * client pings no more and counts any frame as a sign of life. A server answers the mode it runs
 * in `hello.heartbeat`; a server that does not say it runs `client`.
 */
export const HeartbeatMode = Type.Union([Type.Literal('client'), Type.Literal('server')]);
export type HeartbeatMode = Static<typeof HeartbeatMode>;

/** First frame on a connection: authenticate with an access token. */
export const AuthFrame = Type.Object({
  type: Type.Literal('auth'),
  v: Type.Integer(),
  accessToken: Type.String({ minLength: 1, maxLength: 4096 }),
  heartbeat: Type.Optional(HeartbeatMode),
});
export type AuthFrame = Static<typeof AuthFrame>;

/** A request; `op` names an entry of `Operations` with `ws: true`; `id` correlates the response. */
export const RequestFrame = Type.Object({
  type: Type.Literal('req'),
  id: Type.String({ minLength: 1, maxLength: 64 }),
  op: Type.String({ minLength: 1, maxLength: 64 }),
  body: Type.Unknown(),
});
export type RequestFrame = Static<typeof RequestFrame>;

/** A heartbeat ping (either way): the other side answers a `pong` carrying the same `t`. */
export const PingFrame = Type.Object({ type: Type.Literal('ping'), t: Type.Optional(Type.Number()) });
export type PingFrame = Static<typeof PingFrame>;

/** The answer to a `ping` (either way). */
export const PongFrame = Type.Object({ type: Type.Literal('pong'), t: Type.Optional(Type.Number()) });
export type PongFrame = Static<typeof PongFrame>;

export const ClientFrame = Type.Union([AuthFrame, RequestFrame, PingFrame, PongFrame]);
export type ClientFrame = Static<typeof ClientFrame>;

// ---- server -> client ----

export const WsError = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});
export type WsError = Static<typeof WsError>;

/** Answer to `auth`: who we are and how often to ping. */
export const HelloFrame = Type.Object({
  type: Type.Literal('hello'),
  v: Type.Integer(),
  userId: Id,
  sessionId: Id,
  nodeId: Type.String(),
  heartbeatMs: Type.Integer(),
  /** `server` when the server drives the heartbeat on this connection (the client asked for it). */
  heartbeat: Type.Optional(HeartbeatMode),
  serverTime: Timestamp,
});
export type HelloFrame = Static<typeof HelloFrame>;

export const ResponseOk = Type.Object({
  type: Type.Literal('res'),
  id: Type.String(),
  ok: Type.Literal(true),
  body: Type.Unknown(),
});
export const ResponseErr = Type.Object({
  type: Type.Literal('res'),
  id: Type.String(),
  ok: Type.Literal(false),
  error: WsError,
});
export type ResponseFrame = Static<typeof ResponseOk> | Static<typeof ResponseErr>;

/** An error not tied to a request (e.g. an unparseable frame). */
export const ErrorFrame = Type.Object({ type: Type.Literal('error'), error: WsError });
export type ErrorFrame = Static<typeof ErrorFrame>;

/** Sent just before the server closes the connection. */
export const ByeFrame = Type.Object({ type: Type.Literal('bye'), reason: Type.String() });
export type ByeFrame = Static<typeof ByeFrame>;

// ---- events ----

export const ReadEvent = Type.Object({ conversationId: Id, userId: Id, readSeq: Type.Integer() });
export const TypingEvent = Type.Object({ conversationId: Id, userId: Id, typing: Type.Boolean() });
export const PresenceEvent = Type.Object({ userId: Id, online: Type.Boolean() });
export const ConversationChangedEvent = Type.Object({
  conversationId: Id,
  reason: Type.Union([
    Type.Literal('created'),
    Type.Literal('members'),
    Type.Literal('title'),
    Type.Literal('removed'),
    /** Group settings, roles, mutes, nicknames or the announcement changed. */
    Type.Literal('group'),
    Type.Literal('dissolved'),
    /** Join requests changed (sent to the owner and admins). */
    Type.Literal('joinRequests'),
  ]),
});
export const SessionRevokedEvent = Type.Object({ sessionId: Id });
/**
 * Catch up (as after `hello`): an event for this user may have been routed while this connection
 * was still being announced to the cluster (sent at most about a second after `hello`), or while
 * the node lost its broker link (sent to every connection of the node, with `spreadMs`). A client
 * that ignores it learns of the event at its next sync or gap.
 */
export const SyncHintEvent = Type.Object({
  /**
   * Catch up at a random moment within this many ms, not at once: every device of a node got the
   * hint together, and their catch-ups spread over this window instead of arriving in one burst.
   */
  spreadMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 300_000 })),
});

/** Every server-pushed event, by versioned name. */
export const Events = {
  'message.created.v1': Message,
  'message.updated.v1': Message,
  'conversation.read.v1': ReadEvent,
  'conversation.changed.v1': ConversationChangedEvent,
  'member.settings.v1': MemberSettings,
  'typing.v1': TypingEvent,
  'presence.v1': PresenceEvent,
  'session.revoked.v1': SessionRevokedEvent,
  'sync.hint.v1': SyncHintEvent,
  'contact.updated.v1': ContactUpdatedEvent,
  'contact.removed.v1': ContactRemovedEvent,
  'friend.request.v1': FriendRequestEvent,
  'friend.accepted.v1': FriendRequestEvent,
  'friend.removed.v1': FriendRemovedEvent,
  'friend.blocked.v1': BlockChangedEvent,
  'preferences.updated.v1': Preferences,
  'ops.feedback.v1': FeedbackEvent,
  'call.invite.v1': CallInviteEvent,
  'call.state.v1': CallStateEvent,
  'call.signal.v1': CallSignalEvent,
  'meeting.invite.v1': MeetingInviteEvent,
  'meeting.updated.v1': MeetingUpdatedEvent,
  'meeting.control.v1': MeetingControlEvent,
  'moments.new.v1': MomentNewEvent,
  'moments.interaction.v1': MomentInteractionEvent,
  'moments.draft.v1': MomentDraftEvent,
} as const;
export type Events = typeof Events;
export type EventName = keyof Events;
export type EventBody<E extends EventName> = Static<Events[E]>;

export interface EventFrame<E extends EventName = EventName> {
  type: 'event';
  event: E;
  body: EventBody<E>;
}

export type ServerFrame =
  HelloFrame | ResponseFrame | EventFrame | PingFrame | PongFrame | ErrorFrame | ByeFrame;
