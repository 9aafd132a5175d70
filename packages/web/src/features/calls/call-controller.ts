import type { Call, CallMedia, CallStateEvent, SignalPayload } from '@zhixin/protocol';
import { client } from '../../app/client.ts';
import { useCallView, IDLE_CALL, type CallEndReason } from './call-store.ts';
import { countCameras, getCameraTrack, getLocalMedia, stopStream } from './media/devices.ts';
import { P2PPeer } from './media/p2p-peer.ts';
import { Ringtone } from './media/ringtone.ts';

/** How long the end screen stays before the call view closes. */
const END_SCREEN_MS = 2500;

let peer: P2PPeer | null = null;
let ringtone: Ringtone | null = null;
let endTimer: ReturnType<typeof setTimeout> | undefined;
/** Signals that arrived before this device's peer existed (the offer can beat the accept answer). */
let early: SignalPayload[] = [];

const set = useCallView.setState;
const get = useCallView.getState;

function mySessionId(): string | undefined {
  return client.session?.sessionId;
}

function myId(): string | undefined {
  return client.session?.userId;
}

function ring(kind: 'incoming' | 'outgoing' | null): void {
  ringtone?.stop();
  ringtone = kind ? new Ringtone(kind) : null;
  ringtone?.start();
}

function isCurrent(call: Call): boolean {
  return get().call?.id === call.id;
}

function cleanupMedia(): void {
  peer?.close();
  peer = null;
  early = [];
  stopStream(get().localStream);
}

/** Show the end screen for a while, then close the call view. */
function finish(reason: CallEndReason): void {
  ring(null);
  cleanupMedia();
  set({ phase: 'ended', endReason: reason, localStream: null, remoteStream: null });
  clearTimeout(endTimer);
  endTimer = setTimeout(() => set({ ...IDLE_CALL }), END_SCREEN_MS);
}

function signal(callId: string, payload: SignalPayload): void {
  client.call('calls.signal', { callId, payload }).catch(() => undefined);
}

function makePeer(role: 'caller' | 'callee'): P2PPeer {
  const state = get();
  const callId = state.call?.id ?? '';
  const created = new P2PPeer({
    role,
    iceServers: state.iceServers,
    signal: (payload) => signal(callId, payload),
    onRemoteStream: (stream) => set((s) => ({ remoteStream: stream, remoteVersion: s.remoteVersion + 1 })),
    onConnectionState: (connection) => {
      if (connection === 'connected' && get().phase === 'connecting')
        set({ phase: 'active', connectedAt: Date.now() });
      if (connection === 'failed' && get().call) void hangUp('failed');
    },
  });
  peer = created;
  return created;
}

async function acquire(media: CallMedia): Promise<MediaStream | null> {
  try {
    const stream = await getLocalMedia(media === 'video', get().facing);
    set({ localStream: stream, cameras: await countCameras() });
    return stream;
  } catch {
    return null;
  }
}

function localOrEmpty(): MediaStream {
  return get().localStream ?? new MediaStream();
}

/** Call the other member of a direct chat. */
export async function startCall(conversationId: string, peerId: string, media: CallMedia): Promise<void> {
  if (get().phase !== 'idle' && get().phase !== 'ended') return;
  clearTimeout(endTimer);
  set({ ...IDLE_CALL, phase: 'outgoing', peerId, media });
  ring('outgoing');
  const stream = await acquire(media);
  if (!stream) return finish('mediaDenied');
  try {
    const { call, iceServers } = await client.call('calls.start', { conversationId, media });
    set({ call, iceServers });
  } catch (err) {
    ring(null);
    cleanupMedia();
    set({ ...IDLE_CALL });
    throw err;
  }
}

/** Answer the ringing call on this device (video answers turn the camera on). */
export async function acceptCall(withVideo: boolean): Promise<void> {
  const { call } = get();
  if (!call || get().phase !== 'incoming') return;
  ring(null);
  set({ phase: 'connecting' });
  const stream = await acquire(withVideo ? 'video' : 'audio');
  if (!stream) {
    await client.call('calls.decline', { callId: call.id }).catch(() => undefined);
    return finish('mediaDenied');
  }
  try {
    const answer = await client.call('calls.accept', { callId: call.id });
    set({
      call: answer.call,
      iceServers: answer.iceServers,
      cameraOff: !withVideo && call.media === 'video',
    });
  } catch {
    return finish('answeredElsewhere');
  }
  const created = makePeer('callee');
  const queued = early;
  early = [];
  for (const payload of queued) await created.receive(payload, async () => localOrEmpty());
}

export async function declineCall(): Promise<void> {
  const { call } = get();
  if (!call) return;
  await client.call('calls.decline', { callId: call.id }).catch(() => undefined);
  finish('declined');
}

/** Cancel while ringing, hang up once answered. */
export async function hangUp(reason: CallEndReason = 'hungUp'): Promise<void> {
  const { call, phase } = get();
  if (!call) {
    finish('cancelled');
    return;
  }
  const ringing = phase === 'outgoing' && call.state === 'ringing';
  await client.call(ringing ? 'calls.cancel' : 'calls.hangup', { callId: call.id }).catch(() => undefined);
  finish(ringing ? 'cancelled' : reason);
}

export function toggleMute(): void {
  const muted = !get().muted;
  for (const track of get().localStream?.getAudioTracks() ?? []) track.enabled = !muted;
  set({ muted });
}

export async function toggleCamera(): Promise<void> {
  const cameraOff = !get().cameraOff;
  const stream = get().localStream;
  const track = stream?.getVideoTracks()[0];
  if (track) {
    track.enabled = !cameraOff;
  } else if (!cameraOff && stream) {
    const fresh = await getCameraTrack(get().facing);
    stream.addTrack(fresh);
    await peer?.setVideoTrack(fresh);
  }
  set({ cameraOff });
}

export function toggleSpeaker(): void {
  set({ speakerOn: !get().speakerOn });
}

/** Front ↔ back camera (devices with two cameras). */
export async function switchCamera(): Promise<void> {
  const facing = get().facing === 'user' ? 'environment' : 'user';
  const stream = get().localStream;
  const old = stream?.getVideoTracks()[0];
  if (!stream || !old) return;
  const fresh = await getCameraTrack(facing);
  stream.removeTrack(old);
  old.stop();
  stream.addTrack(fresh);
  await peer?.setVideoTrack(fresh);
  set({ facing, localStream: stream });
}

async function applyMedia(media: CallMedia): Promise<void> {
  const stream = get().localStream;
  if (!stream) return;
  if (media === 'audio') {
    for (const track of stream.getVideoTracks()) {
      stream.removeTrack(track);
      track.stop();
    }
    await peer?.setVideoTrack(null);
  } else if (stream.getVideoTracks().length === 0) {
    const fresh = await getCameraTrack(get().facing).catch(() => null);
    if (fresh) {
      stream.addTrack(fresh);
      await peer?.setVideoTrack(fresh);
    }
  }
  set({ media, cameraOff: false, localStream: stream });
}

/** Switch the call between voice and video (the other side follows on `call.state` with reason `media`). */
export async function switchMedia(): Promise<void> {
  const { call, media } = get();
  if (!call) return;
  const next: CallMedia = media === 'video' ? 'audio' : 'video';
  await applyMedia(next);
  await client.call('calls.update', { callId: call.id, media: next }).catch(() => undefined);
}

export function setMinimized(minimized: boolean): void {
  set({ minimized });
}

/** getStats() of the call's peer connection (tests and the quality indicator). */
export function callStats(): Promise<RTCStatsReport> | null {
  return peer?.stats() ?? null;
}

async function onState({ call, reason }: CallStateEvent): Promise<void> {
  if (!isCurrent(call)) return;
  set({ call });
  switch (reason) {
    case 'accepted': {
      if (call.callerSessionId !== mySessionId() || peer) return;
      ring(null);
      set({ phase: 'connecting' });
      await makePeer('caller').offer(localOrEmpty());
      return;
    }
    case 'media':
      if (call.media !== get().media) await applyMedia(call.media);
      return;
    case 'answeredElsewhere':
      if (call.calleeSessionId === mySessionId()) return;
      finish('answeredElsewhere');
      return;
    default:
      finish(reason);
  }
}

function onInvite(call: Call): void {
  const me = myId();
  if (call.calleeId !== me || call.state !== 'ringing') return;
  const phase = get().phase;
  if (phase !== 'idle' && phase !== 'ended') return;
  clearTimeout(endTimer);
  set({ ...IDLE_CALL, phase: 'incoming', call, peerId: call.callerId, media: call.media });
  ring('incoming');
}

/** Ring for a call already ringing this user (asked after every catch-up and at start). */
function checkRinging(): void {
  if (get().phase !== 'idle') return;
  client
    .call('calls.current', {})
    .then(({ call }) => {
      if (call && call.state === 'ringing') onInvite(call);
    })
    .catch(() => undefined);
}

let started = false;

/** Listen for calls (once per page): ring on invitations, follow state changes, relay signals. */
export function startCallListener(): void {
  if (started) return;
  started = true;
  client.on('call.invite', ({ call }) => onInvite(call));
  client.on('call.state', (event) => void onState(event).catch(() => finish('failed')));
  client.on('call.signal', ({ callId, payload }) => {
    if (get().call?.id !== callId) return;
    if (!peer) {
      early.push(payload);
      return;
    }
    void peer.receive(payload, async () => localOrEmpty()).catch(() => undefined);
  });
  // A call that rang while this page was closed, loading or reconnecting still rings.
  client.on('sync.completed', checkRinging);
  checkRinging();
}
