import type { Meeting } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import type { Caller } from '../deps.ts';
import {
  announce,
  control,
  isModerator,
  loadMeeting,
  revoke,
  type MeetingsContext,
} from './meetings.context.ts';
import type { MeetingState } from './meetings.repo.ts';

/** Host and co-host controls: mute, remove, lock, co-hosts, end; and moving rooms off a dead server. */
export class MeetingControls {
  constructor(private readonly ctx: MeetingsContext) {}

  async muteAll(caller: Caller, meetingId: string, muted: boolean): Promise<Meeting> {
    const m = await this.moderated(caller, meetingId);
    const moderators = [m.hostId, ...m.coHostIds];
    await this.ctx.repo.update(m.id, { mutedAll: muted });
    await this.ctx.repo.setMuted(m.id, null, muted, moderators);
    await this.enforce(m, null, muted);
    const inside = (await this.ctx.repo.participants(m.id)).map((p) => p.userId);
    control(
      this.ctx,
      inside.filter((id) => !moderators.includes(id)),
      m.id,
      muted ? 'mute' : 'unmute',
      caller.userId,
    );
    return announce(this.ctx, m.id, muted ? 'muteAll' : 'unmuteAll', caller.userId);
  }

  async mute(caller: Caller, meetingId: string, userId: string): Promise<Meeting> {
    const m = await this.moderated(caller, meetingId);
    await this.requireInside(m, userId);
    await this.ctx.repo.setMuted(m.id, [userId], true);
    await this.enforce(m, [userId], true);
    control(this.ctx, [userId], m.id, 'mute', caller.userId);
    return announce(this.ctx, m.id, 'mute', caller.userId);
  }

  /** A moderator releases anyone; a member only themself, and only when allowed or not host-muted. */
  async unmute(caller: Caller, meetingId: string, userId: string): Promise<Meeting> {
    // Someone else's microphone is the moderators' business: FORBIDDEN, or NOT_FOUND to whom the
    // meeting does not concern (as every host control).
    const m =
      userId === caller.userId
        ? await loadMeeting(this.ctx, meetingId)
        : await this.moderated(caller, meetingId);
    this.refuseEnded(m);
    const target = await this.requireInside(m, userId);
    if (!isModerator(m, caller.userId) && target.mutedByHost && !m.settings.allowUnmuteSelf) {
      throw new AppError('FORBIDDEN', { reason: 'the host does not let members unmute themselves' });
    }
    await this.ctx.repo.setMuted(m.id, [userId], false);
    await this.enforce(m, [userId], false);
    if (userId !== caller.userId) control(this.ctx, [userId], m.id, 'unmute', caller.userId);
    return announce(this.ctx, m.id, 'mute', caller.userId);
  }

  /** Out of the room (Janus kick), grant and proxy connections revoked, may not rejoin. */
  async remove(caller: Caller, meetingId: string, userId: string): Promise<Meeting> {
    const m = await this.moderated(caller, meetingId);
    if (userId === m.hostId || userId === caller.userId) throw new AppError('FORBIDDEN');
    const target = await this.ctx.repo.participant(m.id, userId);
    if (!target || target.removed) throw AppError.notFound('participant');
    await this.ctx.repo.leave(m.id, userId, this.ctx.now(), true);
    if (m.coHostIds.includes(userId)) {
      await this.ctx.repo.update(m.id, { coHostIds: m.coHostIds.filter((id) => id !== userId) });
    }
    // Told first, so the client shows why before its media connection is cut.
    control(this.ctx, [userId], m.id, 'removed', caller.userId);
    revoke(this.ctx, m.id, userId);
    if (m.media) await this.ctx.rooms.kick(m.media, [target.feedId, target.screenFeedId]);
    return announce(this.ctx, m.id, 'removed', caller.userId);
  }

  async lock(caller: Caller, meetingId: string, locked: boolean): Promise<Meeting> {
    const m = await this.moderated(caller, meetingId);
    await this.ctx.repo.update(m.id, { settings: { ...m.settings, locked } });
    return announce(this.ctx, m.id, locked ? 'lock' : 'unlock', caller.userId);
  }

  /** Host only. */
  async setCoHost(caller: Caller, meetingId: string, userId: string, coHost: boolean): Promise<Meeting> {
    const m = await this.moderated(caller, meetingId);
    if (m.hostId !== caller.userId || userId === m.hostId) throw new AppError('FORBIDDEN');
    const p = await this.ctx.repo.participant(m.id, userId);
    if (!p || p.removed) throw AppError.notFound('participant');
    const others = m.coHostIds.filter((id) => id !== userId);
    await this.ctx.repo.update(m.id, { coHostIds: coHost ? [...others, userId] : others });
    if (coHost) {
      await this.ctx.repo.setMuted(m.id, [userId], false);
      await this.enforce(m, [userId], false);
    }
    return announce(this.ctx, m.id, 'coHost', caller.userId);
  }

  /** For everyone: the room is destroyed, every connection closed, the meeting counted. */
  async end(caller: Caller, meetingId: string): Promise<Meeting> {
    const m = await this.moderated(caller, meetingId);
    const inside = (await this.ctx.repo.participants(m.id)).map((p) => p.userId);
    const now = this.ctx.now();
    if (!(await this.ctx.repo.end(m.id, now))) throw new AppError('MEETING_ENDED');
    // Told first, so clients show why before their media connections are cut.
    control(this.ctx, inside, m.id, 'ended', caller.userId);
    revoke(this.ctx, m.id);
    if (m.media) await this.ctx.rooms.destroy(m.media);
    if (m.startedAt !== null) {
      this.ctx.stats?.recordMeeting({
        startedAt: m.startedAt,
        endedAt: now,
        participants: await this.ctx.historyRepo.participantCount(m.id),
      });
    }
    return announce(this.ctx, m.id, 'ended', caller.userId, inside);
  }

  /** Move every live room of a dead server to a live one; participants are told to reconnect. */
  async failover(server: string): Promise<string[]> {
    const moved: string[] = [];
    for (const m of await this.ctx.repo.liveOn(server)) {
      try {
        // Another node may have moved it already: placement only wins while it is still on `server`.
        const placed = await this.ctx.rooms.place(m, server);
        if (!placed) {
          const still = await this.ctx.repo.get(m.id);
          if (still?.media?.server === server)
            await this.ctx.repo.placeRoom(m.id, server, null, this.ctx.now());
        }
        revoke(this.ctx, m.id);
        const inside = (await this.ctx.repo.participants(m.id)).map((p) => p.userId);
        control(this.ctx, inside, m.id, 'reconnect', null);
        moved.push(m.id);
      } catch (err) {
        this.ctx.log.error({ err, meetingId: m.id }, 'could not move a meeting room');
      }
    }
    return moved;
  }

  /** Hold a host mute in Janus too: some participants (null: every member), each of their audio streams. */
  private async enforce(m: MeetingState, userIds: readonly string[] | null, mute: boolean): Promise<void> {
    if (!m.media) return;
    for (const p of await this.ctx.repo.participants(m.id)) {
      const concerned = userIds === null ? !isModerator(m, p.userId) : userIds.includes(p.userId);
      if (concerned) await this.ctx.rooms.moderate(m.media, p.audioMids, mute);
    }
  }

  private refuseEnded(m: MeetingState): void {
    if (m.status === 'ended') throw new AppError('MEETING_ENDED');
  }

  private async moderated(caller: Caller, meetingId: string): Promise<MeetingState> {
    const m = await loadMeeting(this.ctx, meetingId);
    if (!isModerator(m, caller.userId)) {
      const me = await this.ctx.repo.participant(m.id, caller.userId);
      if (!me && !(await this.ctx.repo.isInvited(m.id, caller.userId))) throw AppError.notFound('meeting');
      throw new AppError('FORBIDDEN');
    }
    this.refuseEnded(m);
    return m;
  }

  private async requireInside(m: MeetingState, userId: string) {
    const p = await this.ctx.repo.participant(m.id, userId);
    if (!p || !p.present) throw AppError.notFound('participant');
    return p;
  }
}
