import type { IceServer, SignalPayload } from '@zhixin/protocol';

export type PeerRole = 'caller' | 'callee';

export interface P2PPeerOptions {
  role: PeerRole;
  iceServers: IceServer[];
  /** Send a signalling payload to the other device of the call. */
  signal(payload: SignalPayload): void;
  /** The remote stream changed (a track arrived or ended). */
  onRemoteStream(stream: MediaStream): void;
  /** The ICE/DTLS connection state changed. */
  onConnectionState(state: RTCPeerConnectionState): void;
}

/**
 * The peer-to-peer media of a 1:1 call. The caller offers once with one audio and one video
 * transceiver (both sendrecv); the callee answers on those transceivers. Everything later (mute,
 * camera off, voice↔video, front/back camera) swaps tracks on the existing senders, so the call
 * never renegotiates (no glare between the two sides). ICE candidates arriving before the remote
 * description are queued. TURN servers in `iceServers` give the relay fallback.
 */
export class P2PPeer {
  readonly pc: RTCPeerConnection;
  private readonly remote = new MediaStream();
  private queued: RTCIceCandidateInit[] = [];
  private audio: RTCRtpTransceiver | undefined;
  private video: RTCRtpTransceiver | undefined;

  constructor(private readonly opts: P2PPeerOptions) {
    this.pc = new RTCPeerConnection({ iceServers: opts.iceServers });
    this.pc.onicecandidate = (e) => {
      if (e.candidate)
        opts.signal({
          type: 'candidate',
          candidate: e.candidate.candidate,
          sdpMid: e.candidate.sdpMid,
          sdpMLineIndex: e.candidate.sdpMLineIndex,
        });
      else opts.signal({ type: 'endOfCandidates' });
    };
    this.pc.ontrack = (e) => {
      this.remote.addTrack(e.track);
      e.track.onended = () => {
        this.remote.removeTrack(e.track);
        opts.onRemoteStream(this.remote);
      };
      opts.onRemoteStream(this.remote);
    };
    this.pc.onconnectionstatechange = () => opts.onConnectionState(this.pc.connectionState);
  }

  get remoteStream(): MediaStream {
    return this.remote;
  }

  /** Caller: create both transceivers with the local tracks and send the offer. */
  async offer(local: MediaStream): Promise<void> {
    this.audio = this.pc.addTransceiver('audio', { direction: 'sendrecv' });
    this.video = this.pc.addTransceiver('video', { direction: 'sendrecv' });
    await this.setTracks(local);
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const sdp = this.pc.localDescription?.sdp;
    if (sdp) this.opts.signal({ type: 'offer', sdp });
  }

  /** Handle a payload from the other device. */
  async receive(payload: SignalPayload, local: () => Promise<MediaStream>): Promise<void> {
    switch (payload.type) {
      case 'offer': {
        await this.pc.setRemoteDescription({ type: 'offer', sdp: payload.sdp });
        const transceivers = this.pc.getTransceivers();
        this.audio = transceivers.find((t) => t.receiver.track.kind === 'audio');
        this.video = transceivers.find((t) => t.receiver.track.kind === 'video');
        for (const t of [this.audio, this.video]) if (t) t.direction = 'sendrecv';
        await this.setTracks(await local());
        await this.pc.setLocalDescription(await this.pc.createAnswer());
        const sdp = this.pc.localDescription?.sdp;
        if (sdp) this.opts.signal({ type: 'answer', sdp });
        await this.flushCandidates();
        return;
      }
      case 'answer':
        await this.pc.setRemoteDescription({ type: 'answer', sdp: payload.sdp });
        await this.flushCandidates();
        return;
      case 'candidate': {
        const init: RTCIceCandidateInit = {
          candidate: payload.candidate,
          sdpMid: payload.sdpMid ?? null,
          sdpMLineIndex: payload.sdpMLineIndex ?? null,
        };
        if (this.pc.remoteDescription) await this.pc.addIceCandidate(init).catch(() => undefined);
        else this.queued.push(init);
        return;
      }
      case 'endOfCandidates':
        return;
    }
  }

  /** Put the stream's tracks on the senders (null stops sending that kind without renegotiating). */
  async setTracks(local: MediaStream): Promise<void> {
    await this.audio?.sender.replaceTrack(local.getAudioTracks()[0] ?? null);
    await this.video?.sender.replaceTrack(local.getVideoTracks()[0] ?? null);
  }

  /** Replace only the video track (camera switch, camera on/off, voice↔video). */
  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.video?.sender.replaceTrack(track);
  }

  /** Inbound/outbound RTP statistics (used by the call's quality indicator and the tests). */
  stats(): Promise<RTCStatsReport> {
    return this.pc.getStats();
  }

  close(): void {
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }

  private async flushCandidates(): Promise<void> {
    const queued = this.queued;
    this.queued = [];
    for (const c of queued) await this.pc.addIceCandidate(c).catch(() => undefined);
  }
}
