import type { Meeting, MeetingInviteEvent, MeetingParticipant } from '@zhixin/protocol';
import { create } from 'zustand';
import type { Facing } from '../calls/media/devices.ts';

/** One video tile: a remote feed (camera or screen) or my own camera. */
export interface Tile {
  feedId: number;
  userId: string | null;
  display: string;
  stream: MediaStream | null;
  screen: boolean;
  local: boolean;
  /** Bumped when the stream's tracks change. */
  version: number;
}

export type MeetingPhase = 'idle' | 'joining' | 'in' | 'left';

/** Why the meeting screen closed (shown on the end screen), or why joining failed. */
export type MeetingExit = 'left' | 'removed' | 'ended' | 'failed' | 'mediaDenied' | null;

export interface MeetingViewState {
  phase: MeetingPhase;
  meeting: Meeting | null;
  myFeedId: number | null;
  myScreenFeedId: number | null;
  tiles: Tile[];
  /** The feed the speaker layout shows: who talked last (Janus talking events), or a screen share. */
  speakerFeedId: number | null;
  talking: number[];
  layout: 'grid' | 'speaker';
  muted: boolean;
  /** The host muted me and the meeting does not let members unmute themselves. */
  unmuteBlocked: boolean;
  cameraOff: boolean;
  speakerOn: boolean;
  facing: Facing;
  cameras: number;
  sharing: boolean;
  exit: MeetingExit;
  /** A typed error code from joining (MEDIA_UNAVAILABLE, MEETING_LOCKED, ...). */
  errorCode: string | null;
  /** A banner for a moment, e.g. "the host muted you". */
  notice: string | null;
  showParticipants: boolean;
  /** Invitations ringing now. */
  invitations: MeetingInviteEvent[];
}

export const IDLE_MEETING: Omit<MeetingViewState, 'invitations'> = {
  phase: 'idle',
  meeting: null,
  myFeedId: null,
  myScreenFeedId: null,
  tiles: [],
  speakerFeedId: null,
  talking: [],
  layout: 'grid',
  muted: false,
  unmuteBlocked: false,
  cameraOff: false,
  speakerOn: true,
  facing: 'user',
  cameras: 0,
  sharing: false,
  exit: null,
  errorCode: null,
  notice: null,
  showParticipants: false,
};

export const useMeetingView = create<MeetingViewState>(() => ({ ...IDLE_MEETING, invitations: [] }));

/** The participant a feed belongs to (camera or screen). */
export function participantOfFeed(meeting: Meeting | null, feedId: number): MeetingParticipant | undefined {
  return meeting?.participants.find((p) => p.feedId === feedId || p.screenFeedId === feedId);
}

/** Whether a user may run host controls in this meeting. */
export function isHostOrCoHost(meeting: Meeting | null, userId: string | undefined): boolean {
  if (!meeting || !userId) return false;
  return meeting.hostId === userId || meeting.coHostIds.includes(userId);
}

/**
 * The feed the speaker layout shows: a screen share wins; else the last one who talked; else the
 * first remote camera; else mine.
 */
export function pickSpeaker(tiles: readonly Tile[], lastTalker: number | null): number | null {
  const screen = tiles.find((t) => t.screen);
  if (screen) return screen.feedId;
  if (lastTalker !== null && tiles.some((t) => t.feedId === lastTalker)) return lastTalker;
  return (tiles.find((t) => !t.local) ?? tiles[0])?.feedId ?? null;
}

/** `123 456 789`. */
export function formatMeetingCode(code: string): string {
  return code.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
}

/** The 9 digits of a typed code or a pasted join link (`…/meet/123456789`), or null. */
export function parseMeetingCode(input: string): string | null {
  const fromLink = /\/meet\/(\d{9})(?:[/?#]|$)/.exec(input.trim());
  if (fromLink?.[1]) return fromLink[1];
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{9}$/.test(digits) ? digits : null;
}
