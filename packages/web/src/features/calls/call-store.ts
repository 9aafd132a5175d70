import type { Call, CallChangeReason, CallMedia, IceServer } from '@zhixin/protocol';
import { create } from 'zustand';
import type { Facing } from './media/devices.ts';

/**
 * Where this device is in a call: `outgoing` (ringing the peer), `incoming` (ringing here),
 * `connecting` (answered, media not up yet), `active`, `ended` (the end screen, shown briefly).
 */
export type CallPhase = 'idle' | 'outgoing' | 'incoming' | 'connecting' | 'active' | 'ended';

/** Why the end screen shows, from the server's reason or a local failure. */
export type CallEndReason = CallChangeReason | 'failed' | 'mediaDenied';

export interface CallViewState {
  phase: CallPhase;
  call: Call | null;
  /** The other person. */
  peerId: string | null;
  media: CallMedia;
  iceServers: IceServer[];
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  /** Bumped whenever the remote stream's tracks change (a MediaStream is mutated in place). */
  remoteVersion: number;
  muted: boolean;
  cameraOff: boolean;
  speakerOn: boolean;
  facing: Facing;
  cameras: number;
  /** When media started flowing (for the timer), else null. */
  connectedAt: number | null;
  endReason: CallEndReason | null;
  minimized: boolean;
}

export const IDLE_CALL: CallViewState = {
  phase: 'idle',
  call: null,
  peerId: null,
  media: 'audio',
  iceServers: [],
  localStream: null,
  remoteStream: null,
  remoteVersion: 0,
  muted: false,
  cameraOff: false,
  speakerOn: true,
  facing: 'user',
  cameras: 0,
  connectedAt: null,
  endReason: null,
  minimized: false,
};

/** The one call this device shows. Only `call-controller.ts` changes it. */
export const useCallView = create<CallViewState>(() => ({ ...IDLE_CALL }));

/** `mm:ss` (or `h:mm:ss`) of a duration. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
