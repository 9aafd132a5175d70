import { Type, type Static } from 'typebox';
import { Id, Timestamp } from './common.ts';

/** What a 1:1 call carries: voice only, or voice and video. */
export const CallMedia = Type.Union([Type.Literal('audio'), Type.Literal('video')]);
export type CallMedia = Static<typeof CallMedia>;

/** `ringing` until a device of the callee answers, `active` while both talk, then `ended`. */
export const CallState = Type.Union([Type.Literal('ringing'), Type.Literal('active'), Type.Literal('ended')]);
export type CallState = Static<typeof CallState>;

/**
 * How a call ended: `completed` (answered, then hung up), `declined` (the callee refused), `missed`
 * (nobody answered in time), `cancelled` (the caller gave up while it rang), `busy` (the callee was
 * in another call).
 */
export const CallOutcome = Type.Union([
  Type.Literal('completed'),
  Type.Literal('declined'),
  Type.Literal('missed'),
  Type.Literal('cancelled'),
  Type.Literal('busy'),
]);
export type CallOutcome = Static<typeof CallOutcome>;

/** One STUN/TURN server for `RTCPeerConnection({iceServers})`; TURN credentials are time-limited. */
export const IceServer = Type.Object({
  urls: Type.Array(Type.String()),
  username: Type.Optional(Type.String()),
  credential: Type.Optional(Type.String()),
});
export type IceServer = Static<typeof IceServer>;

export const IceServers = Type.Object({
  iceServers: Type.Array(IceServer),
  /** When the TURN credentials stop working (ms); ask again before then. */
  expiresAt: Timestamp,
});
export type IceServers = Static<typeof IceServers>;

/** A 1:1 call in a direct conversation. */
export const Call = Type.Object({
  id: Id,
  conversationId: Id,
  callerId: Id,
  calleeId: Id,
  media: CallMedia,
  state: CallState,
  /** The caller's device (session) that placed the call. */
  callerSessionId: Id,
  /** The callee's device that answered; null while ringing or when nobody answered. */
  calleeSessionId: Type.Union([Id, Type.Null()]),
  createdAt: Timestamp,
  answeredAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  outcome: Type.Union([CallOutcome, Type.Null()]),
  /** Ringing stops (outcome `missed`) at this time. */
  ringUntil: Timestamp,
});
export type Call = Static<typeof Call>;

/** What the call record message in the chat says (a `system` message with event `call`). */
export const CallRecord = Type.Object(
  {
    callId: Id,
    callerId: Id,
    media: CallMedia,
    outcome: CallOutcome,
    /** Talk time from answer to hang-up; 0 unless completed. */
    durationMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type CallRecord = Static<typeof CallRecord>;

export const StartCallBody = Type.Object(
  { conversationId: Id, media: CallMedia },
  { additionalProperties: false },
);
export type StartCallBody = Static<typeof StartCallBody>;

/** A call and the ICE servers to reach the peer with. */
export const CallWithIce = Type.Object({ call: Call, iceServers: Type.Array(IceServer) });
export type CallWithIce = Static<typeof CallWithIce>;

export const CallIdBody = Type.Object({ callId: Id }, { additionalProperties: false });
export type CallIdBody = Static<typeof CallIdBody>;

export const UpdateCallBody = Type.Object({ callId: Id, media: CallMedia }, { additionalProperties: false });
export type UpdateCallBody = Static<typeof UpdateCallBody>;

const Sdp = Type.String({ minLength: 1, maxLength: 32_000 });

/** WebRTC signalling, relayed as is between the two devices of a call. */
export const SignalPayload = Type.Union([
  Type.Object(
    { type: Type.Union([Type.Literal('offer'), Type.Literal('answer')]), sdp: Sdp },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('candidate'),
      candidate: Type.String({ maxLength: 2048 }),
      sdpMid: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
      sdpMLineIndex: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 64 }), Type.Null()])),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('endOfCandidates') }, { additionalProperties: false }),
]);
export type SignalPayload = Static<typeof SignalPayload>;

export const CallSignalBody = Type.Object(
  { callId: Id, payload: SignalPayload },
  { additionalProperties: false },
);
export type CallSignalBody = Static<typeof CallSignalBody>;

export const CurrentCall = Type.Object({ call: Type.Union([Call, Type.Null()]) });
export type CurrentCall = Static<typeof CurrentCall>;

// ---- events ----

/** To every device of the callee (ring) and the caller's other devices (a call is going on). */
export const CallInviteEvent = Type.Object({ call: Call });
export type CallInviteEvent = Static<typeof CallInviteEvent>;

/**
 * Why a call changed: `accepted` (the answering device and the caller), `answeredElsewhere` (the
 * callee's other devices: stop ringing), `declined`, `cancelled`, `hungUp`, `missed` (no answer in
 * time), `busy`, `media` (switched voice/video).
 */
export const CallChangeReason = Type.Union([
  Type.Literal('accepted'),
  Type.Literal('answeredElsewhere'),
  Type.Literal('declined'),
  Type.Literal('cancelled'),
  Type.Literal('hungUp'),
  Type.Literal('missed'),
  Type.Literal('busy'),
  Type.Literal('media'),
]);
export type CallChangeReason = Static<typeof CallChangeReason>;

export const CallStateEvent = Type.Object({ call: Call, reason: CallChangeReason, byUserId: Id });
export type CallStateEvent = Static<typeof CallStateEvent>;

/** Only to the peer device of the call. */
export const CallSignalEvent = Type.Object({
  callId: Id,
  fromUserId: Id,
  fromSessionId: Id,
  payload: SignalPayload,
});
export type CallSignalEvent = Static<typeof CallSignalEvent>;
