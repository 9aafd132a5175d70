import type { IceServer } from '@zhixin/protocol';
import type { JanusHandle, JanusSession, PluginEvent } from './janus-session.ts';
import {
  chooseScreenPlan,
  chooseVideoPlan,
  preferredCodecs,
  type LayerChoice,
  type VideoPlan,
} from './video-plan.ts';

/** Tries of one layer request, and the pause between them. */
const LAYER_ATTEMPTS = 3;
const LAYER_RETRY_MS = 1000;

/** A publisher in the room as Janus lists it. */
export interface RoomPublisher {
  id: number;
  display: string;
}

/** What happens in the room, from the publisher handle's events. */
export interface RoomListener {
  publishers(list: RoomPublisher[]): void;
  unpublished(feedId: number): void;
  talking(feedId: number, talking: boolean): void;
  /** Janus dropped us from the room (kicked, room destroyed, handle gone). */
  left(reason: string): void;
}

function publishersOf(data: Record<string, unknown>): RoomPublisher[] {
  const list = data.publishers;
  if (!Array.isArray(list)) return [];
  return list
    .map((p: { id?: unknown; display?: unknown }) => ({ id: Number(p.id), display: String(p.display ?? '') }))
    .filter((p) => Number.isFinite(p.id));
}

function wirePeer(pc: RTCPeerConnection, handle: JanusHandle): void {
  pc.onicecandidate = (e) => handle.trickle(e.candidate);
}

/**
 * Our camera/microphone (or screen) published into a videoroom: join as publisher with the feed id
 * of the grant, then `configure` with an offer. Video goes out as SVC or simulcast per `VideoPlan`.
 */
export class RoomPublisherFeed {
  readonly pc: RTCPeerConnection;
  readonly plan: VideoPlan;
  private audio: RTCRtpTransceiver | undefined;
  private video: RTCRtpTransceiver | undefined;

  private constructor(
    readonly handle: JanusHandle,
    iceServers: IceServer[],
    roomCodecs: readonly string[],
    screen: boolean,
  ) {
    this.pc = new RTCPeerConnection({ iceServers });
    wirePeer(this.pc, handle);
    const capabilities = typeof RTCRtpSender !== 'undefined' ? RTCRtpSender.getCapabilities('video') : null;
    this.plan = screen
      ? chooseScreenPlan(roomCodecs, capabilities)
      : chooseVideoPlan(roomCodecs, capabilities);
  }

  /**
   * Join `room` as `feedId` and publish `stream`. `listener` gets the room's publishers (those
   * already there, then each newcomer), departures and talking events; pass none for a screen share
   * (which is sent as one full-resolution encoding).
   */
  static async publish(opts: {
    session: JanusSession;
    room: number;
    feedId: number;
    display: string;
    stream: MediaStream;
    iceServers: IceServer[];
    roomCodecs: readonly string[];
    listener?: RoomListener;
  }): Promise<RoomPublisherFeed> {
    const handle = await opts.session.attach();
    const feed = new RoomPublisherFeed(handle, opts.iceServers, opts.roomCodecs, !opts.listener);
    const { listener } = opts;
    handle.listener = {
      event: (e) => feed.onEvent(e, listener),
      gone: () => listener?.left('gone'),
    };
    const joined = await handle.message({
      request: 'join',
      ptype: 'publisher',
      room: opts.room,
      id: opts.feedId,
      display: opts.display,
    });
    if (typeof joined.data.private_id === 'number') feed.joinedPrivateId = joined.data.private_id;
    listener?.publishers(publishersOf(joined.data));
    await feed.sendStream(opts.stream);
    return feed;
  }

  get privateId(): number | undefined {
    return this.joinedPrivateId;
  }

  private joinedPrivateId: number | undefined;

  /** Mute/unmute: the track stays, disabled tracks send silence; Janus is told to stop forwarding too. */
  async setAudioSending(on: boolean): Promise<void> {
    const track = this.audio?.sender.track;
    if (track) track.enabled = on;
    const mid = this.audio?.mid;
    if (mid)
      await this.handle
        .message({ request: 'configure', streams: [{ mid, send: on }] })
        .catch(() => undefined);
  }

  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.video?.sender.replaceTrack(track);
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.audio?.sender.track ?? null;
  }

  async leave(): Promise<void> {
    await this.handle.message({ request: 'leave' }).catch(() => undefined);
    this.pc.close();
    await this.handle.detach();
  }

  private async sendStream(stream: MediaStream): Promise<void> {
    const audioTrack = stream.getAudioTracks()[0];
    const videoTrack = stream.getVideoTracks()[0];
    if (audioTrack)
      this.audio = this.pc.addTransceiver(audioTrack, { direction: 'sendonly', streams: [stream] });
    if (videoTrack) {
      this.video = this.pc.addTransceiver(videoTrack, {
        direction: 'sendonly',
        streams: [stream],
        sendEncodings: this.plan.encodings,
      });
      const codecs = preferredCodecs(this.plan.codec, RTCRtpSender.getCapabilities('video'));
      if (codecs) this.video.setCodecPreferences(codecs);
    }
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const offer = this.pc.localDescription;
    if (!offer) throw new Error('no local offer');
    const answer = await this.handle.message(
      { request: 'configure', audio: !!audioTrack, video: !!videoTrack },
      { type: offer.type, sdp: offer.sdp },
    );
    if (!answer.jsep) throw new Error('the media server sent no answer');
    await this.pc.setRemoteDescription(answer.jsep);
  }

  private onEvent(e: PluginEvent, listener: RoomListener | undefined): void {
    const data = e.data;
    if (typeof data.private_id === 'number') this.joinedPrivateId = data.private_id;
    if (!listener) return;
    switch (data.videoroom) {
      case 'talking':
      case 'stopped-talking':
        listener.talking(Number(data.id), data.videoroom === 'talking');
        return;
      case 'destroyed':
        listener.left('destroyed');
        return;
      case 'event': {
        if (Array.isArray(data.publishers)) listener.publishers(publishersOf(data));
        const gone = data.unpublished ?? data.leaving;
        if (gone === 'ok') listener.left(String(data.reason ?? 'left'));
        else if (gone !== undefined) listener.unpublished(Number(gone));
        if (data.kicked !== undefined) listener.unpublished(Number(data.kicked));
        return;
      }
      default:
        return;
    }
  }
}

/** One remote feed received from the room on its own subscriber handle (so its layer can be chosen alone). */
export class RoomSubscription {
  readonly pc: RTCPeerConnection;
  readonly stream = new MediaStream();
  private videoMid: string | undefined;
  private layer: LayerChoice | undefined;
  private closing = false;

  private constructor(
    readonly handle: JanusHandle,
    readonly feedId: number,
    iceServers: IceServer[],
  ) {
    this.pc = new RTCPeerConnection({ iceServers });
    wirePeer(this.pc, handle);
  }

  static async subscribe(opts: {
    session: JanusSession;
    room: number;
    feedId: number;
    privateId?: number;
    iceServers: IceServer[];
    onStream(stream: MediaStream): void;
  }): Promise<RoomSubscription> {
    const handle = await opts.session.attach();
    const sub = new RoomSubscription(handle, opts.feedId, opts.iceServers);
    sub.pc.ontrack = (e) => {
      sub.stream.addTrack(e.track);
      opts.onStream(sub.stream);
    };
    const attached = await handle.message({
      request: 'join',
      ptype: 'subscriber',
      room: opts.room,
      streams: [{ feed: opts.feedId }],
      ...(opts.privateId !== undefined ? { private_id: opts.privateId } : {}),
    });
    const streams = Array.isArray(attached.data.streams)
      ? (attached.data.streams as Array<{ type?: string; mid?: string }>)
      : [];
    sub.videoMid = streams.find((s) => s.type === 'video')?.mid;
    if (!attached.jsep) throw new Error('the media server sent no offer');
    await sub.pc.setRemoteDescription(attached.jsep);
    await sub.pc.setLocalDescription(await sub.pc.createAnswer());
    const answer = sub.pc.localDescription;
    if (!answer) throw new Error('no local answer');
    await handle.message({ request: 'start' }, { type: answer.type, sdp: answer.sdp });
    return sub;
  }

  get hasVideo(): boolean {
    return this.videoMid !== undefined;
  }

  /**
   * Ask Janus for the simulcast substream / SVC layer and temporal layer that fit the tile.
   * Unchanged choices are not sent again.
   */
  async setLayer(choice: LayerChoice): Promise<void> {
    const mid = this.videoMid;
    if (!mid) return;
    if (this.layer && this.layer.substream === choice.substream && this.layer.temporal === choice.temporal)
      return;
    this.layer = choice;
    // A configure that failed (an error, or no answer in time on a loaded machine) is asked again:
    // the tile's size may never change again to ask for it, and it would keep the wrong layer.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handle.message({
          request: 'configure',
          streams: [
            {
              mid,
              substream: choice.substream,
              temporal: choice.temporal,
              spatial_layer: choice.substream,
              temporal_layer: choice.temporal,
            },
          ],
        });
        return;
      } catch {
        // A newer choice took over, or the subscription is closing: this one no longer matters.
        if (this.layer !== choice || this.closing) return;
        if (attempt >= LAYER_ATTEMPTS) {
          this.layer = undefined;
          return;
        }
        await new Promise((r) => setTimeout(r, LAYER_RETRY_MS));
        if (this.layer !== choice || this.closing) return;
      }
    }
  }

  get currentLayer(): LayerChoice | undefined {
    return this.layer;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.pc.close();
    await this.handle.message({ request: 'leave' }).catch(() => undefined);
    await this.handle.detach();
  }
}
