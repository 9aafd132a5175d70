import type {
  CreateMeetingBody,
  JoinMeetingResult,
  MediaGrant,
  Meeting,
  MeetingControlAction,
  MeetingHistory,
  MeetingHistoryQuery,
  MeetingParticipant,
  MeetingRecord,
  MeetingSettings,
  MeetingSettingsPatch,
  UpdateMeetingBody,
} from '@zhixin/protocol';
import type { Call } from '../transport.ts';

export type {
  JoinMeetingResult,
  MediaGrant,
  Meeting,
  MeetingControlAction,
  MeetingHistory,
  MeetingParticipant,
  MeetingRecord,
  MeetingSettings,
};

/**
 * Meetings: create, invite, join by code or link, host controls, history and records (signalling
 * only). `join` returns a grant for the media proxy: open `mediaUrl(grant)` with the subprotocol
 * `janus-protocol` and speak the Janus videoroom API there. Host actions arrive as `meeting.updated`
 * (everyone) and `meeting.control` (the participant concerned: `mute`, `removed`, `ended`,
 * `reconnect` — join again and re-publish).
 *
 * @example
 * const m = await client.meetings.create({ topic: '周例会' });
 * const { media, iceServers } = await client.meetings.join({ code: m.code });
 * const ws = new WebSocket(client.meetings.mediaUrl(media), 'janus-protocol');
 */
export class MeetingsManager {
  constructor(
    private readonly call: Call,
    private readonly baseUrl: string,
  ) {}

  /**
   * Create a meeting (now or scheduled) with a meeting code and a join link.
   * @example
   * const m = await client.meetings.create({ topic: '周例会' });
   */
  create(body: CreateMeetingBody): Promise<Meeting> {
    return this.call('meetings.create', body);
  }

  /**
   * A meeting I host, was invited to or am in.
   * @example
   * const m = await client.meetings.get(meetingId);
   */
  get(meetingId: string): Promise<Meeting> {
    return this.call('meetings.get', { meetingId });
  }

  /**
   * Change the topic, time or settings (host or co-host).
   * @example
   * await client.meetings.update({ meetingId, topic: '项目评审' });
   */
  update(body: UpdateMeetingBody): Promise<Meeting> {
    return this.call('meetings.update', body);
  }

  /** Change settings only (host or co-host). */
  configure(meetingId: string, settings: MeetingSettingsPatch): Promise<Meeting> {
    return this.call('meetings.update', { meetingId, settings });
  }

  /** Ring users and the members of my groups; returns who was invited. */
  async invite(
    meetingId: string,
    who: { userIds?: string[]; conversationIds?: string[] },
  ): Promise<string[]> {
    return (await this.call('meetings.invite', { meetingId, ...who })).invitedUserIds;
  }

  /** Join (or re-join for a fresh grant) by code or id. */
  join(by: { code: string } | { meetingId: string }): Promise<JoinMeetingResult> {
    return this.call('meetings.join', by);
  }

  /**
   * Leave a meeting; it goes on for the others.
   * @example
   * await client.meetings.leave(meetingId);
   */
  async leave(meetingId: string): Promise<void> {
    await this.call('meetings.leave', { meetingId });
  }

  /**
   * Mute everyone but the host and co-hosts (host or co-host).
   * @example
   * await client.meetings.muteAll(meetingId);
   */
  muteAll(meetingId: string): Promise<Meeting> {
    return this.call('meetings.muteAll', { meetingId });
  }

  /**
   * Lift mute all (host or co-host).
   * @example
   * await client.meetings.unmuteAll(meetingId);
   */
  unmuteAll(meetingId: string): Promise<Meeting> {
    return this.call('meetings.unmuteAll', { meetingId });
  }

  /**
   * Mute one participant (host or co-host).
   * @example
   * await client.meetings.mute(meetingId, userId);
   */
  mute(meetingId: string, userId: string): Promise<Meeting> {
    return this.call('meetings.mute', { meetingId, userId });
  }

  /** Unmute myself (when allowed) or, as host, release someone. */
  unmute(meetingId: string, userId: string): Promise<Meeting> {
    return this.call('meetings.unmute', { meetingId, userId });
  }

  /**
   * Remove a participant: out of the room, grant revoked, may not rejoin (host or co-host).
   * @example
   * await client.meetings.remove(meetingId, userId);
   */
  remove(meetingId: string, userId: string): Promise<Meeting> {
    return this.call('meetings.remove', { meetingId, userId });
  }

  /**
   * Let nobody new join (host or co-host).
   * @example
   * await client.meetings.lock(meetingId);
   */
  lock(meetingId: string): Promise<Meeting> {
    return this.call('meetings.lock', { meetingId });
  }

  /**
   * Open a locked meeting again (host or co-host).
   * @example
   * await client.meetings.unlock(meetingId);
   */
  unlock(meetingId: string): Promise<Meeting> {
    return this.call('meetings.unlock', { meetingId });
  }

  /**
   * Make a participant a co-host, or take it back (host only).
   * @example
   * await client.meetings.setCoHost(meetingId, userId, true);
   */
  setCoHost(meetingId: string, userId: string, coHost: boolean): Promise<Meeting> {
    return this.call('meetings.setCoHost', { meetingId, userId, coHost });
  }

  /**
   * End the meeting for everyone (host or co-host).
   * @example
   * await client.meetings.end(meetingId);
   */
  end(meetingId: string): Promise<Meeting> {
    return this.call('meetings.end', { meetingId });
  }

  /**
   * Meetings I was in, newest first.
   * @example
   * const { items, hasMore } = await client.meetings.history();
   */
  history(query: MeetingHistoryQuery = {}): Promise<MeetingHistory> {
    return this.call('meetings.history', query);
  }

  /**
   * Delete meetings from my history (the record stays for the host and statistics).
   * @example
   * await client.meetings.deleteHistory([meetingId]);
   */
  async deleteHistory(meetingIds: string[]): Promise<void> {
    await this.call('meetings.deleteHistory', { meetingIds });
  }

  /**
   * Participants with join and leave times and durations (host or co-host).
   * @example
   * const record = await client.meetings.record(meetingId);
   */
  record(meetingId: string): Promise<MeetingRecord> {
    return this.call('meetings.record', { meetingId });
  }

  /** The absolute `ws:`/`wss:` URL of the media proxy for a grant. */
  mediaUrl(grant: MediaGrant): string {
    const url = new URL(grant.wsUrl, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }
}
