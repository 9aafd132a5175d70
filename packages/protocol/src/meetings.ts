import { Type, type Static } from 'typebox';
import { IceServer } from './calls.ts';
import { Id, Timestamp } from './common.ts';

/** A meeting code: 9 digits, shown as `123 456 789`; join links carry it. */
export const MeetingCode = Type.String({ pattern: '^[0-9]{9}$' });
export type MeetingCode = Static<typeof MeetingCode>;

export const MeetingTopic = Type.String({ minLength: 1, maxLength: 100 });

/**
 * Who may do what in a meeting. Join rule: anyone signed in with the code (or link) may join unless
 * the meeting is `locked`, or `inviteOnly` and they are neither invited nor the host or a co-host.
 */
export const MeetingSettings = Type.Object({
  /** Whether members may unmute themselves after the host muted them (or all). */
  allowUnmuteSelf: Type.Boolean(),
  /** Nobody new may join (those inside stay). */
  locked: Type.Boolean(),
  /** Only invited users (and the host and co-hosts) may join. */
  inviteOnly: Type.Boolean(),
  /** Newcomers join muted. */
  muteOnJoin: Type.Boolean(),
});
export type MeetingSettings = Static<typeof MeetingSettings>;

export const MeetingSettingsPatch = Type.Partial(MeetingSettings, { additionalProperties: false });
export type MeetingSettingsPatch = Static<typeof MeetingSettingsPatch>;

export const MeetingStatus = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('live'),
  Type.Literal('ended'),
]);
export type MeetingStatus = Static<typeof MeetingStatus>;

export const MeetingRole = Type.Union([Type.Literal('host'), Type.Literal('cohost'), Type.Literal('member')]);
export type MeetingRole = Static<typeof MeetingRole>;

/** Someone in the meeting now. */
export const MeetingParticipant = Type.Object({
  userId: Id,
  role: MeetingRole,
  /** Shown in the room (the user's name). */
  display: Type.String(),
  joinedAt: Timestamp,
  /** Muted by the host (or mute all); they may unmute only if `allowUnmuteSelf`. */
  mutedByHost: Type.Boolean(),
  /** The Janus videoroom publisher ids of this participant's camera/microphone and screen share. */
  feedId: Type.Integer({ minimum: 1 }),
  screenFeedId: Type.Integer({ minimum: 1 }),
});
export type MeetingParticipant = Static<typeof MeetingParticipant>;

export const Meeting = Type.Object({
  id: Id,
  code: MeetingCode,
  topic: MeetingTopic,
  hostId: Id,
  coHostIds: Type.Array(Id),
  status: MeetingStatus,
  settings: MeetingSettings,
  /** Everyone muted by the host (until unmute all). */
  mutedAll: Type.Boolean(),
  scheduledAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  /** `<publicUrl>/meet/<code>`: opens the meeting in the web client. */
  joinUrl: Type.String(),
  participants: Type.Array(MeetingParticipant),
});
export type Meeting = Static<typeof Meeting>;

export const CreateMeetingBody = Type.Object(
  {
    topic: MeetingTopic,
    /** Absent: now (the meeting is `scheduled` until someone joins either way). */
    scheduledAt: Type.Optional(Timestamp),
    settings: Type.Optional(MeetingSettingsPatch),
  },
  { additionalProperties: false },
);
export type CreateMeetingBody = Static<typeof CreateMeetingBody>;

export const UpdateMeetingBody = Type.Object(
  {
    meetingId: Id,
    topic: Type.Optional(MeetingTopic),
    scheduledAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    settings: Type.Optional(MeetingSettingsPatch),
  },
  { additionalProperties: false, minProperties: 2 },
);
export type UpdateMeetingBody = Static<typeof UpdateMeetingBody>;

export const MeetingIdBody = Type.Object({ meetingId: Id }, { additionalProperties: false });
export type MeetingIdBody = Static<typeof MeetingIdBody>;

export const MeetingUserBody = Type.Object({ meetingId: Id, userId: Id }, { additionalProperties: false });
export type MeetingUserBody = Static<typeof MeetingUserBody>;

export const SetCoHostBody = Type.Object(
  { meetingId: Id, userId: Id, coHost: Type.Boolean() },
  { additionalProperties: false },
);
export type SetCoHostBody = Static<typeof SetCoHostBody>;

export const InviteMeetingBody = Type.Object(
  {
    meetingId: Id,
    userIds: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
    /** Every member of these conversations (groups) I belong to. */
    conversationIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type InviteMeetingBody = Static<typeof InviteMeetingBody>;

export const InviteMeetingResult = Type.Object({ invitedUserIds: Type.Array(Id) });
export type InviteMeetingResult = Static<typeof InviteMeetingResult>;

/** Join by meeting code (or link) or by id (from an invitation). */
export const JoinMeetingBody = Type.Union([
  Type.Object({ code: MeetingCode }, { additionalProperties: false }),
  Type.Object({ meetingId: Id }, { additionalProperties: false }),
]);
export type JoinMeetingBody = Static<typeof JoinMeetingBody>;

/**
 * What a participant needs to reach the media room: the browser opens
 * `wsUrl` (`/janus?grant=<grant>`, subprotocol `janus-protocol`) on our server, which checks the grant
 * and relays only the allowed videoroom requests for this room.
 */
export const MediaGrant = Type.Object({
  grant: Type.String(),
  wsUrl: Type.String(),
  expiresAt: Timestamp,
  /** The Janus videoroom room id. */
  room: Type.Integer({ minimum: 1 }),
  feedId: Type.Integer({ minimum: 1 }),
  screenFeedId: Type.Integer({ minimum: 1 }),
  display: Type.String(),
  /** Publish VP9 SVC (L3T3) when the browser can, else VP8 simulcast; see PROTOCOL.md. */
  videoCodecs: Type.Array(Type.String()),
});
export type MediaGrant = Static<typeof MediaGrant>;

export const JoinMeetingResult = Type.Object({
  meeting: Meeting,
  media: MediaGrant,
  iceServers: Type.Array(IceServer),
});
export type JoinMeetingResult = Static<typeof JoinMeetingResult>;

/** A meeting in my history: when I was in it and for how long. */
export const MeetingHistoryItem = Type.Object({
  meetingId: Id,
  code: MeetingCode,
  topic: MeetingTopic,
  hostId: Id,
  status: MeetingStatus,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  /** My first join and my total time inside. */
  firstJoinedAt: Timestamp,
  myDurationMs: Type.Integer({ minimum: 0 }),
  participantCount: Type.Integer({ minimum: 0 }),
});
export type MeetingHistoryItem = Static<typeof MeetingHistoryItem>;

export const MeetingHistoryQuery = Type.Object({
  /** Items that I first joined strictly before this time (newest first). */
  before: Type.Optional(Timestamp),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type MeetingHistoryQuery = Static<typeof MeetingHistoryQuery>;

export const MeetingHistory = Type.Object({ items: Type.Array(MeetingHistoryItem), hasMore: Type.Boolean() });
export type MeetingHistory = Static<typeof MeetingHistory>;

export const DeleteMeetingHistoryBody = Type.Object(
  { meetingIds: Type.Array(Id, { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type DeleteMeetingHistoryBody = Static<typeof DeleteMeetingHistoryBody>;

/** One stay of one person in a meeting. */
export const MeetingAttendance = Type.Object({
  userId: Id,
  joinedAt: Timestamp,
  leftAt: Type.Union([Timestamp, Type.Null()]),
  durationMs: Type.Integer({ minimum: 0 }),
});
export type MeetingAttendance = Static<typeof MeetingAttendance>;

/** The meeting record (R-V2, R-A1): every stay of every participant. */
export const MeetingRecord = Type.Object({
  meetingId: Id,
  topic: MeetingTopic,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  participantCount: Type.Integer({ minimum: 0 }),
  attendance: Type.Array(MeetingAttendance),
});
export type MeetingRecord = Static<typeof MeetingRecord>;

// ---- events ----

/** To each invitee's devices: ring. */
export const MeetingInviteEvent = Type.Object({ meeting: Meeting, inviterId: Id });
export type MeetingInviteEvent = Static<typeof MeetingInviteEvent>;

export const MeetingChange = Type.Union([
  Type.Literal('topic'),
  Type.Literal('settings'),
  Type.Literal('joined'),
  Type.Literal('left'),
  Type.Literal('removed'),
  Type.Literal('muteAll'),
  Type.Literal('unmuteAll'),
  Type.Literal('mute'),
  Type.Literal('lock'),
  Type.Literal('unlock'),
  Type.Literal('coHost'),
  Type.Literal('ended'),
]);
export type MeetingChange = Static<typeof MeetingChange>;

/** To everyone in the meeting (and the host): the meeting as it is now. */
export const MeetingUpdatedEvent = Type.Object({ meeting: Meeting, change: MeetingChange, byUserId: Id });
export type MeetingUpdatedEvent = Static<typeof MeetingUpdatedEvent>;

/**
 * A command for one participant's client: `mute` (the host muted you: stop sending audio; unmute
 * only if allowed), `removed` (you were removed: leave the room), `ended` (the meeting ended for all),
 * `reconnect` (the media server moved: join again to get a new grant and re-publish).
 */
export const MeetingControlAction = Type.Union([
  Type.Literal('mute'),
  Type.Literal('unmute'),
  Type.Literal('removed'),
  Type.Literal('ended'),
  Type.Literal('reconnect'),
]);
export type MeetingControlAction = Static<typeof MeetingControlAction>;

export const MeetingControlEvent = Type.Object({
  meetingId: Id,
  action: MeetingControlAction,
  byUserId: Type.Union([Id, Type.Null()]),
});
export type MeetingControlEvent = Static<typeof MeetingControlEvent>;
