import type { JoinMeetingBody, Meeting, MeetingControlEvent, MeetingUpdatedEvent } from '@zhixin/protocol';
import { ZhixinError } from '@zhixin/sdk';
import { client } from '../../app/client.ts';
import { countCameras, getCameraTrack, getLocalMedia, stopStream } from '../calls/media/devices.ts';
import { Ringtone } from '../calls/media/ringtone.ts';
import { MediaRoom } from './media/media-room.ts';
import {
  IDLE_MEETING,
  participantOfFeed,
  pickSpeaker,
  useMeetingView,
  type MeetingExit,
  type Tile,
} from './meeting-store.ts';

const set = useMeetingView.setState;
const get = useMeetingView.getState;

let room: MediaRoom | null = null;
let local: MediaStream | null = null;
let screen: MediaStream | null = null;
let lastTalker: number | null = null;
let inviteRing: Ringtone | null = null;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;

function myId(): string | undefined {
  return client.session?.userId;
}

function showNotice(notice: string): void {
  clearTimeout(noticeTimer);
  set({ notice });
  noticeTimer = setTimeout(() => set({ notice: null }), 4000);
}

function withSpeaker(tiles: Tile[]): Partial<ReturnType<typeof get>> {
  return { tiles, speakerFeedId: pickSpeaker(tiles, lastTalker) };
}

function upsertTile(tile: Omit<Tile, 'version'>): void {
  const tiles = get().tiles;
  const existing = tiles.find((t) => t.feedId === tile.feedId);
  const next = existing
    ? tiles.map((t) => (t.feedId === tile.feedId ? { ...t, ...tile, version: t.version + 1 } : t))
    : [...tiles, { ...tile, version: 0 }];
  set(withSpeaker(next));
}

function removeTile(feedId: number): void {
  set(withSpeaker(get().tiles.filter((t) => t.feedId !== feedId)));
}

/** Re-label tiles from the participant list (names, which feed is a screen). */
function relabel(meeting: Meeting): void {
  const tiles = get().tiles.map((t) => {
    const p = participantOfFeed(meeting, t.feedId);
    return p ? { ...t, userId: p.userId, display: p.display, screen: p.screenFeedId === t.feedId } : t;
  });
  set({ meeting, ...withSpeaker(tiles) });
}

async function enforceMute(meeting: Meeting): Promise<void> {
  const me = meeting.participants.find((p) => p.userId === myId());
  if (!me) return;
  const blocked = me.mutedByHost && !meeting.settings.allowUnmuteSelf;
  set({ unmuteBlocked: blocked });
  if (me.mutedByHost && !get().muted) await setMuted(true);
}

async function teardown(exit: MeetingExit): Promise<void> {
  const current = room;
  room = null;
  await current?.close().catch(() => undefined);
  stopStream(local);
  stopStream(screen);
  local = null;
  screen = null;
  lastTalker = null;
  set({ ...IDLE_MEETING, phase: exit === null ? 'idle' : 'left', exit, meeting: get().meeting });
}

/** Join a meeting by code or id: get a grant, open the media room, publish camera and microphone. */
export async function joinMeeting(by: JoinMeetingBody): Promise<void> {
  if (get().phase === 'joining' || get().phase === 'in') return;
  stopInviteRing();
  set({ ...IDLE_MEETING, phase: 'joining' });
  let joined;
  try {
    joined = await client.call('meetings.join', by);
  } catch (err) {
    set({ ...IDLE_MEETING, errorCode: ZhixinError.from(err).code });
    throw err;
  }
  const { meeting, media, iceServers } = joined;
  try {
    local = await getLocalMedia(true).catch(() => getLocalMedia(false));
  } catch {
    await client.call('meetings.leave', { meetingId: meeting.id }).catch(() => undefined);
    set({ ...IDLE_MEETING, phase: 'left', exit: 'mediaDenied', meeting });
    return;
  }
  set({
    meeting,
    myFeedId: media.feedId,
    myScreenFeedId: media.screenFeedId,
    cameras: await countCameras(),
    cameraOff: local.getVideoTracks().length === 0,
  });
  upsertTile({
    feedId: media.feedId,
    userId: myId() ?? null,
    display: media.display,
    stream: local,
    screen: false,
    local: true,
  });
  try {
    room = await MediaRoom.open({
      baseUrl: window.location.origin,
      grant: media,
      iceServers,
      local,
      events: {
        stream: (feedId, display, stream) => {
          const p = participantOfFeed(get().meeting, feedId);
          upsertTile({
            feedId,
            userId: p?.userId ?? null,
            display: p?.display ?? display,
            stream,
            screen: p ? p.screenFeedId === feedId : false,
            local: false,
          });
        },
        gone: removeTile,
        talking: (feedId, talking) => {
          const others = get().talking.filter((id) => id !== feedId);
          if (talking) lastTalker = feedId;
          set({
            talking: talking ? [...others, feedId] : others,
            speakerFeedId: pickSpeaker(get().tiles, lastTalker),
          });
        },
        closed: () => void teardown(get().exit ?? 'failed'),
      },
    });
  } catch (err) {
    await client.call('meetings.leave', { meetingId: meeting.id }).catch(() => undefined);
    await teardown('failed');
    throw err;
  }
  set({ phase: 'in' });
  const startMuted =
    meeting.settings.muteOnJoin || meeting.participants.some((p) => p.userId === myId() && p.mutedByHost);
  if (startMuted) await setMuted(true);
  await enforceMute(meeting);
}

export async function leaveMeeting(): Promise<void> {
  const meeting = get().meeting;
  if (meeting) await client.call('meetings.leave', { meetingId: meeting.id }).catch(() => undefined);
  await teardown('left');
}

/** Close the end screen. */
export function dismissMeeting(): void {
  set({ ...IDLE_MEETING });
}

export async function setMuted(muted: boolean): Promise<void> {
  const meeting = get().meeting;
  if (!muted && get().unmuteBlocked) {
    showNotice('unmuteBlocked');
    return;
  }
  if (!muted && meeting && meeting.participants.some((p) => p.userId === myId() && p.mutedByHost)) {
    // Muted by the host but allowed to unmute: tell the server first (it refuses when not allowed).
    const me = myId();
    if (me) await client.call('meetings.unmute', { meetingId: meeting.id, userId: me });
  }
  for (const track of local?.getAudioTracks() ?? []) track.enabled = !muted;
  set({ muted });
  await room?.setAudioSending(!muted);
}

export async function toggleCamera(): Promise<void> {
  const cameraOff = !get().cameraOff;
  const track = local?.getVideoTracks()[0];
  if (track) track.enabled = !cameraOff;
  else if (!cameraOff && local) {
    const fresh = await getCameraTrack(get().facing);
    local.addTrack(fresh);
    await room?.setVideoTrack(fresh);
  }
  set({ cameraOff });
}

export async function switchCamera(): Promise<void> {
  const facing = get().facing === 'user' ? 'environment' : 'user';
  const old = local?.getVideoTracks()[0];
  if (!local || !old) return;
  const fresh = await getCameraTrack(facing);
  local.removeTrack(old);
  old.stop();
  local.addTrack(fresh);
  await room?.setVideoTrack(fresh);
  set({ facing });
  const feedId = get().myFeedId;
  if (feedId !== null) upsertTile({ ...get().tiles.find((t) => t.feedId === feedId)!, stream: local });
}

export function toggleSpeaker(): void {
  set({ speakerOn: !get().speakerOn });
}

export function setLayout(layout: 'grid' | 'speaker'): void {
  set({ layout });
}

export function setShowParticipants(showParticipants: boolean): void {
  set({ showParticipants });
}

/** Share the screen as a second feed (getDisplayMedia), or stop sharing. */
export async function toggleScreenShare(): Promise<void> {
  if (!room) return;
  if (get().sharing) {
    await room.stopScreen();
    stopStream(screen);
    screen = null;
    set({ sharing: false });
    return;
  }
  screen = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  screen.getVideoTracks()[0]?.addEventListener('ended', () => {
    if (get().sharing) void toggleScreenShare();
  });
  await room.shareScreen(screen);
  set({ sharing: true });
}

/** The layer fitting a tile of this height (small tiles ask for the low simulcast substream). */
export function fitTile(feedId: number, cssHeight: number): void {
  room?.fitTile(feedId, cssHeight);
}

/** getStats() of a remote feed (or of my publisher with feed 0), for tests and diagnostics. */
export function feedStats(feedId: number): Promise<RTCStatsReport> | null {
  return room?.stats(feedId) ?? null;
}

export function videoPlan(): string | null {
  const plan = room?.videoPlan;
  return plan ? `${plan.codec}/${plan.kind}` : null;
}

function stopInviteRing(): void {
  inviteRing?.stop();
  inviteRing = null;
}

export function dismissInvitation(meetingId: string): void {
  const invitations = get().invitations.filter((i) => i.meeting.id !== meetingId);
  set({ invitations });
  if (invitations.length === 0) stopInviteRing();
}

/**
 * The meeting ended or I was removed. The event and the closing of the media connection travel on
 * different sockets: whichever comes first, the end screen says the real reason, not "failed".
 */
function closedBy(exit: 'ended' | 'removed'): void {
  const { phase, exit: shown } = get();
  if (phase === 'in' || phase === 'joining') void teardown(exit);
  else if (phase === 'left' && shown === 'failed') set({ exit });
}

function onUpdated({ meeting, change }: MeetingUpdatedEvent): void {
  if (get().meeting?.id !== meeting.id) {
    // An invitation's meeting ended: stop ringing for it.
    if (meeting.status === 'ended') dismissInvitation(meeting.id);
    return;
  }
  if (meeting.status === 'ended') {
    closedBy('ended');
    return;
  }
  relabel(meeting);
  if (get().phase !== 'in') return;
  if (change === 'muteAll' || change === 'mute' || change === 'unmuteAll' || change === 'settings')
    void enforceMute(meeting);
}

function onControl({ meetingId, action }: MeetingControlEvent): void {
  if (get().meeting?.id !== meetingId) return;
  if (action === 'removed' || action === 'ended') {
    closedBy(action);
    return;
  }
  if (get().phase !== 'in') return;
  switch (action) {
    case 'mute':
      showNotice('mutedByHost');
      void setMuted(true).then(() => {
        const meeting = get().meeting;
        if (meeting) set({ unmuteBlocked: !meeting.settings.allowUnmuteSelf });
      });
      return;
    case 'unmute':
      set({ unmuteBlocked: false });
      showNotice('unmuteAllowed');
      return;
    case 'reconnect': {
      const meeting = get().meeting;
      if (!meeting) return;
      void teardown(null).then(() => joinMeeting({ meetingId: meeting.id }).catch(() => undefined));
      return;
    }
  }
}

let started = false;

/** Listen for meeting invitations and room changes (once per page). */
export function startMeetingListener(): void {
  if (started) return;
  started = true;
  client.on('meeting.invite', (invitation) => {
    if (get().meeting?.id === invitation.meeting.id && get().phase === 'in') return;
    const invitations = [
      ...get().invitations.filter((i) => i.meeting.id !== invitation.meeting.id),
      invitation,
    ];
    set({ invitations });
    if (!inviteRing) {
      inviteRing = new Ringtone('incoming');
      inviteRing.start();
    }
  });
  client.on('meeting.updated', onUpdated);
  client.on('meeting.control', onControl);
}

/** Host controls, each one operation of the protocol. */
export const host = {
  muteAll: (meetingId: string) => client.call('meetings.muteAll', { meetingId }),
  unmuteAll: (meetingId: string) => client.call('meetings.unmuteAll', { meetingId }),
  mute: (meetingId: string, userId: string) => client.call('meetings.mute', { meetingId, userId }),
  unmute: (meetingId: string, userId: string) => client.call('meetings.unmute', { meetingId, userId }),
  remove: (meetingId: string, userId: string) => client.call('meetings.remove', { meetingId, userId }),
  lock: (meetingId: string, locked: boolean) =>
    client.call(locked ? 'meetings.lock' : 'meetings.unlock', { meetingId }),
  end: (meetingId: string) => client.call('meetings.end', { meetingId }),
  setCoHost: (meetingId: string, userId: string, coHost: boolean) =>
    client.call('meetings.setCoHost', { meetingId, userId, coHost }),
  setAllowUnmuteSelf: (meetingId: string, allowUnmuteSelf: boolean) =>
    client.call('meetings.update', { meetingId, settings: { allowUnmuteSelf } }),
};
