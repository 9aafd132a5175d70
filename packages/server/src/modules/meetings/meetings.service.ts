import { randomInt } from 'node:crypto';
import type {
  CreateMeetingBody,
  IceServer,
  InviteMeetingBody,
  JoinMeetingBody,
  JoinMeetingResult,
  Meeting,
  MeetingHistory,
  MeetingHistoryQuery,
  MeetingRecord,
  MeetingSettings,
  UpdateMeetingBody,
} from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { newId } from '../../platform/ids.ts';
import type { GrantClaims } from '../../platform/media/index.ts';
import type { Caller } from '../deps.ts';
import {
  announce,
  isModerator,
  loadMeeting,
  present,
  roleOf,
  type MeetingsContext,
} from './meetings.context.ts';
import type { MeetingState } from './meetings.repo.ts';
import { randomJanusId } from './meetings.rooms.ts';

const DEFAULT_SETTINGS: MeetingSettings = {
  allowUnmuteSelf: true,
  locked: false,
  inviteOnly: false,
  muteOnJoin: false,
};

/** A 9-digit code that does not start with 0. */
const meetingCode = (): string => String(randomInt(100_000_000, 1_000_000_000));

export interface MeetingsLifecycleDeps {
  /** Members of a conversation the caller belongs to (NOT_FOUND / NOT_MEMBER otherwise). */
  membersOf(conversationId: string, userId: string): Promise<readonly string[]>;
  /** Which of these ids are existing users. */
  existing(userIds: readonly string[]): Promise<Set<string>>;
  iceServers(userId: string): IceServer[];
}

/** Create, look at, change, invite to, join and leave meetings; history and records. */
export class MeetingsLifecycle {
  constructor(
    private readonly ctx: MeetingsContext,
    private readonly deps: MeetingsLifecycleDeps,
  ) {}

  async create(caller: Caller, body: CreateMeetingBody): Promise<Meeting> {
    if (!this.ctx.rooms.configured) throw new AppError('MEDIA_UNAVAILABLE');
    const m = await this.ctx.repo.create(
      {
        id: newId(),
        topic: body.topic,
        hostId: caller.userId,
        coHostIds: [],
        status: 'scheduled',
        settings: { ...DEFAULT_SETTINGS, ...body.settings },
        mutedAll: false,
        scheduledAt: body.scheduledAt ?? null,
        createdAt: this.ctx.now(),
        startedAt: null,
        endedAt: null,
      },
      meetingCode,
    );
    return present(this.ctx, m, []);
  }

  /** Host, co-hosts, invitees and anyone who ever joined may look; others get NOT_FOUND. */
  async get(caller: Caller, meetingId: string): Promise<Meeting> {
    const m = await loadMeeting(this.ctx, meetingId);
    await this.requireConcerned(m, caller.userId);
    return present(this.ctx, m, await this.ctx.repo.participants(meetingId));
  }

  async update(caller: Caller, body: UpdateMeetingBody): Promise<Meeting> {
    const m = await this.moderated(caller, body.meetingId);
    await this.ctx.repo.update(m.id, {
      ...(body.topic === undefined ? {} : { topic: body.topic }),
      ...(body.scheduledAt === undefined ? {} : { scheduledAt: body.scheduledAt }),
      ...(body.settings === undefined ? {} : { settings: { ...m.settings, ...body.settings } }),
    });
    return announce(this.ctx, m.id, body.topic !== undefined ? 'topic' : 'settings', caller.userId);
  }

  async invite(caller: Caller, body: InviteMeetingBody): Promise<string[]> {
    const m = await loadMeeting(this.ctx, body.meetingId);
    // Anyone inside (or a moderator) may invite more people; to those it does not concern, no such meeting.
    const me = await this.ctx.repo.participant(m.id, caller.userId);
    if (!isModerator(m, caller.userId) && !me?.present) {
      await this.requireConcerned(m, caller.userId);
      throw new AppError('FORBIDDEN');
    }
    if (m.status === 'ended') throw new AppError('MEETING_ENDED');
    const wanted = new Set(body.userIds ?? []);
    for (const conversationId of body.conversationIds ?? []) {
      for (const id of await this.deps.membersOf(conversationId, caller.userId)) wanted.add(id);
    }
    wanted.delete(caller.userId);
    const known = await this.deps.existing([...wanted]);
    const invited = [...wanted].filter((id) => known.has(id));
    await this.ctx.repo.addInvites(m.id, invited, caller.userId, this.ctx.now());
    if (invited.length) {
      const meeting = present(this.ctx, m, await this.ctx.repo.participants(m.id));
      this.ctx.events.emit(invited, 'meeting.invite.v1', { meeting, inviterId: caller.userId });
    }
    return invited;
  }

  async join(caller: Caller, body: JoinMeetingBody): Promise<JoinMeetingResult> {
    const found =
      'code' in body ? await this.ctx.repo.byCode(body.code) : await this.ctx.repo.get(body.meetingId);
    if (!found) throw AppError.notFound('meeting');
    const m = found;
    if (m.status === 'ended') throw new AppError('MEETING_ENDED');
    const me = await this.ctx.repo.participant(m.id, caller.userId);
    if (me?.removed) throw new AppError('MEETING_REMOVED');
    const moderator = isModerator(m, caller.userId);
    if (m.settings.locked && !moderator && !me?.present) throw new AppError('MEETING_LOCKED');
    if (m.settings.inviteOnly && !moderator && !me && !(await this.ctx.repo.isInvited(m.id, caller.userId))) {
      throw new AppError('MEETING_INVITE_ONLY');
    }
    const place = await this.ctx.rooms.ensure(m);
    const display = await this.ctx.displayName(caller.userId);
    const feedId = me?.feedId ?? randomJanusId();
    const screenFeedId = me?.screenFeedId ?? randomJanusId();
    const wasInside = me?.present === true;
    await this.ctx.repo.join(
      m.id,
      {
        userId: caller.userId,
        display,
        feedId,
        screenFeedId,
        muted: !moderator && (m.mutedAll || m.settings.muteOnJoin),
      },
      this.ctx.now(),
    );
    const claims: GrantClaims = {
      meetingId: m.id,
      userId: caller.userId,
      server: place.server,
      room: place.room,
      feedId,
      screenFeedId,
      display,
      exp: this.ctx.now() + this.ctx.grantTtlMs,
    };
    const grant = this.ctx.grants.sign(claims);
    const meeting = wasInside
      ? present(this.ctx, (await this.ctx.repo.get(m.id)) ?? m, await this.ctx.repo.participants(m.id))
      : await announce(this.ctx, m.id, 'joined', caller.userId);
    return {
      meeting,
      media: {
        grant,
        wsUrl: `/janus?grant=${encodeURIComponent(grant)}`,
        expiresAt: claims.exp,
        room: place.room,
        feedId,
        screenFeedId,
        display,
        videoCodecs: ['vp9', 'vp8'],
      },
      iceServers: this.deps.iceServers(caller.userId),
    };
  }

  /** Someone the meeting does not concern gets NOT_FOUND, as for `get`: an id alone reveals nothing. */
  async leave(caller: Caller, meetingId: string): Promise<void> {
    const m = await loadMeeting(this.ctx, meetingId);
    await this.requireConcerned(m, caller.userId);
    if (await this.ctx.repo.leave(m.id, caller.userId, this.ctx.now())) {
      await announce(this.ctx, m.id, 'left', caller.userId);
    }
  }

  async history(caller: Caller, query: MeetingHistoryQuery): Promise<MeetingHistory> {
    const limit = query.limit ?? 30;
    const items = await this.ctx.historyRepo.history(caller.userId, query.before, limit + 1);
    return { items: items.slice(0, limit), hasMore: items.length > limit };
  }

  async deleteHistory(caller: Caller, meetingIds: readonly string[]): Promise<void> {
    await this.ctx.historyRepo.hideHistory(caller.userId, meetingIds);
  }

  async record(caller: Caller, meetingId: string): Promise<MeetingRecord> {
    const m = await this.moderated(caller, meetingId);
    return {
      meetingId: m.id,
      topic: m.topic,
      startedAt: m.startedAt,
      endedAt: m.endedAt,
      participantCount: await this.ctx.historyRepo.participantCount(m.id),
      attendance: await this.ctx.historyRepo.attendance(m.id, this.ctx.now()),
    };
  }

  /** The meeting, when the caller is its host or a co-host (FORBIDDEN for others who may see it). */
  private async moderated(caller: Caller, meetingId: string): Promise<MeetingState> {
    const m = await loadMeeting(this.ctx, meetingId);
    if (roleOf(m, caller.userId) === 'member') {
      await this.requireConcerned(m, caller.userId);
      throw new AppError('FORBIDDEN');
    }
    return m;
  }

  private async requireConcerned(m: MeetingState, userId: string): Promise<void> {
    if (isModerator(m, userId)) return;
    if (await this.ctx.repo.participant(m.id, userId)) return;
    if (await this.ctx.repo.isInvited(m.id, userId)) return;
    throw AppError.notFound('meeting');
  }
}
