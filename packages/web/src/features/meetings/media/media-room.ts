import type { IceServer, MediaGrant } from '@zhixin/protocol';
import { JanusChannel, mediaChannelUrl } from '@zhixin/sdk';
import { JanusSession } from './janus-session.ts';
import { layerForTile } from './video-plan.ts';
import { RoomPublisherFeed, RoomSubscription, type RoomPublisher } from './videoroom.ts';

export interface MediaRoomEvents {
  /** A remote feed's stream arrived or changed. */
  stream(feedId: number, display: string, stream: MediaStream): void;
  /** A remote feed went away. */
  gone(feedId: number): void;
  talking(feedId: number, talking: boolean): void;
  /** We are out of the media room (kicked, room destroyed, channel closed). */
  closed(reason: string): void;
}

/**
 * The media side of one meeting: a Janus session through our `/janus` proxy (the grant limits it to
 * this room), our camera/microphone publisher, an optional screen-share publisher, and one
 * subscription per remote feed.
 */
export class MediaRoom {
  private readonly subs = new Map<number, RoomSubscription>();
  private readonly pendingSubs = new Set<number>();
  /** The last tile height asked for per feed: a tile can measure itself before its subscription is ready. */
  private readonly tileHeights = new Map<number, number>();
  private screen: RoomPublisherFeed | null = null;
  private closing = false;

  private constructor(
    private readonly session: JanusSession,
    private readonly grant: MediaGrant,
    private readonly iceServers: IceServer[],
    private readonly events: MediaRoomEvents,
    private publisher: RoomPublisherFeed | null = null,
  ) {}

  static async open(opts: {
    baseUrl: string;
    grant: MediaGrant;
    iceServers: IceServer[];
    local: MediaStream;
    events: MediaRoomEvents;
  }): Promise<MediaRoom> {
    const channel = await JanusChannel.open({
      url: mediaChannelUrl(opts.baseUrl, opts.grant.wsUrl),
      protocol: 'janus-protocol',
    });
    const session = await JanusSession.create(channel);
    const room = new MediaRoom(session, opts.grant, opts.iceServers, opts.events);
    session.onClosed(() => room.lost('closed'));
    room.publisher = await RoomPublisherFeed.publish({
      session,
      room: opts.grant.room,
      feedId: opts.grant.feedId,
      display: opts.grant.display,
      stream: opts.local,
      iceServers: opts.iceServers,
      roomCodecs: opts.grant.videoCodecs,
      listener: {
        publishers: (list) => room.onPublishers(list),
        unpublished: (feedId) => room.drop(feedId),
        talking: (feedId, talking) => opts.events.talking(feedId, talking),
        left: (reason) => room.lost(reason),
      },
    });
    return room;
  }

  get videoPlan(): RoomPublisherFeed['plan'] | undefined {
    return this.publisher?.plan;
  }

  setAudioSending(on: boolean): Promise<void> {
    return this.publisher?.setAudioSending(on) ?? Promise.resolve();
  }

  setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    return this.publisher?.setVideoTrack(track) ?? Promise.resolve();
  }

  /** Publish a screen capture as our second feed; resolves when it is live. */
  async shareScreen(stream: MediaStream): Promise<void> {
    if (this.screen) return;
    this.screen = await RoomPublisherFeed.publish({
      session: this.session,
      room: this.grant.room,
      feedId: this.grant.screenFeedId,
      display: this.grant.display,
      stream,
      iceServers: this.iceServers,
      roomCodecs: this.grant.videoCodecs,
    });
  }

  async stopScreen(): Promise<void> {
    const screen = this.screen;
    this.screen = null;
    await screen?.leave();
  }

  /** Ask for the layer that fits a tile of this height (CSS px). */
  fitTile(feedId: number, cssHeight: number): void {
    this.tileHeights.set(feedId, cssHeight);
    const sub = this.subs.get(feedId);
    if (sub) void sub.setLayer(layerForTile(cssHeight, globalThis.devicePixelRatio ?? 1));
  }

  /** getStats() of a remote feed's connection, or of our publisher (feed 0). */
  stats(feedId: number): Promise<RTCStatsReport> | null {
    if (feedId === 0) return this.publisher?.pc.getStats() ?? null;
    return this.subs.get(feedId)?.pc.getStats() ?? null;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all([...this.subs.values()].map((s) => s.close()));
    this.subs.clear();
    await this.stopScreen();
    await this.publisher?.leave();
    await this.session.destroy();
  }

  private isMine(feedId: number): boolean {
    return feedId === this.grant.feedId || feedId === this.grant.screenFeedId;
  }

  private onPublishers(list: RoomPublisher[]): void {
    for (const p of list) {
      if (this.isMine(p.id) || this.subs.has(p.id) || this.pendingSubs.has(p.id)) continue;
      this.pendingSubs.add(p.id);
      RoomSubscription.subscribe({
        session: this.session,
        room: this.grant.room,
        feedId: p.id,
        privateId: this.publisher?.privateId,
        iceServers: this.iceServers,
        onStream: (stream) => this.events.stream(p.id, p.display, stream),
      })
        .then((sub) => {
          this.pendingSubs.delete(p.id);
          if (this.closing) return void sub.close();
          this.subs.set(p.id, sub);
          this.events.stream(p.id, p.display, sub.stream);
          const height = this.tileHeights.get(p.id);
          if (height !== undefined) this.fitTile(p.id, height);
        })
        .catch(() => this.pendingSubs.delete(p.id));
    }
  }

  private drop(feedId: number): void {
    const sub = this.subs.get(feedId);
    this.subs.delete(feedId);
    this.tileHeights.delete(feedId);
    void sub?.close();
    this.events.gone(feedId);
  }

  private lost(reason: string): void {
    if (this.closing) return;
    this.events.closed(reason);
  }
}
