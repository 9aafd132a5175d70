import type { Meeting, MeetingChange, MeetingControlAction, MeetingRole } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { Broker } from '../../platform/broker/index.ts';
import type { EventSink } from '../../platform/events.ts';
import type { Logger } from '../../platform/logger.ts';
import type { GrantSigner } from '../../platform/media/index.ts';
import type { MeetingHistoryRepo } from './meetings.history.repo.ts';
import type { MeetingsRepo, MeetingState, ParticipantState } from './meetings.repo.ts';
import type { MeetingRooms } from './meetings.rooms.ts';

/** Broker subject: close the proxy connections of a meeting (all, or one user's). */
export const REVOKE_SUBJECT = 'zx.meetings.revoke';
export interface RevokeMessage {
  meetingId: string;
  userId?: string;
}

/** Counted in the statistics once a meeting ended (the stats module's `recordMeeting`). */
export interface MeetingStatsSink {
  recordMeeting(meeting: { startedAt: number; endedAt: number; participants: number }): void;
}

/** Everything the meetings services share. */
export interface MeetingsContext {
  repo: MeetingsRepo;
  historyRepo: MeetingHistoryRepo;
  rooms: MeetingRooms;
  events: EventSink;
  broker: Broker;
  grants: GrantSigner;
  log: Logger;
  stats: MeetingStatsSink | null;
  publicUrl: string;
  grantTtlMs: number;
  /** The user's display name in a meeting (their nickname). */
  displayName(userId: string): Promise<string>;
  now(): number;
}

export function roleOf(m: MeetingState, userId: string): MeetingRole {
  if (m.hostId === userId) return 'host';
  return m.coHostIds.includes(userId) ? 'cohost' : 'member';
}

export function isModerator(m: MeetingState, userId: string): boolean {
  return roleOf(m, userId) !== 'member';
}

/** The meeting as clients see it, with who is inside now. */
export function present(
  ctx: MeetingsContext,
  m: MeetingState,
  participants: readonly ParticipantState[],
): Meeting {
  return {
    id: m.id,
    code: m.code,
    topic: m.topic,
    hostId: m.hostId,
    coHostIds: m.coHostIds,
    status: m.status,
    settings: m.settings,
    mutedAll: m.mutedAll,
    scheduledAt: m.scheduledAt,
    createdAt: m.createdAt,
    startedAt: m.startedAt,
    endedAt: m.endedAt,
    joinUrl: `${ctx.publicUrl.replace(/\/$/, '')}/meet/${m.code}`,
    participants: participants.map((p) => ({
      userId: p.userId,
      role: roleOf(m, p.userId),
      display: p.display,
      joinedAt: p.joinedAt,
      mutedByHost: p.mutedByHost,
      feedId: p.feedId,
      screenFeedId: p.screenFeedId,
    })),
  };
}

/** The meeting, or NOT_FOUND. */
export async function loadMeeting(ctx: MeetingsContext, meetingId: string): Promise<MeetingState> {
  const m = await ctx.repo.get(meetingId);
  if (!m) throw AppError.notFound('meeting');
  return m;
}

/** Reload the meeting, tell the host, co-hosts and everyone inside, and return it. */
export async function announce(
  ctx: MeetingsContext,
  meetingId: string,
  change: MeetingChange,
  byUserId: string,
  extraRecipients: readonly string[] = [],
): Promise<Meeting> {
  const m = await loadMeeting(ctx, meetingId);
  const participants = await ctx.repo.participants(meetingId);
  const meeting = present(ctx, m, participants);
  const recipients = new Set([
    m.hostId,
    ...m.coHostIds,
    ...participants.map((p) => p.userId),
    ...extraRecipients,
  ]);
  ctx.events.emit([...recipients], 'meeting.updated.v1', { meeting, change, byUserId });
  return meeting;
}

export function control(
  ctx: MeetingsContext,
  userIds: readonly string[],
  meetingId: string,
  action: MeetingControlAction,
  byUserId: string | null,
): void {
  if (userIds.length) ctx.events.emit(userIds, 'meeting.control.v1', { meetingId, action, byUserId });
}

/** Close proxy connections on every node (removed user, ended meeting, moved room). */
export function revoke(ctx: MeetingsContext, meetingId: string, userId?: string): void {
  ctx.broker.publish(
    REVOKE_SUBJECT,
    (userId === undefined ? { meetingId } : { meetingId, userId }) satisfies RevokeMessage,
  );
}
