import { createHash, randomBytes, randomInt } from 'node:crypto';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../platform/logger.ts';
import type { JanusPool, LiveServer } from '../../platform/media/index.ts';
import type { MeetingsRepo, MeetingState } from './meetings.repo.ts';

export type RoomPlace = NonNullable<MeetingState['media']>;

/** The room pin joins must carry: derived from the room secret, added by our proxy, never shown. */
export function roomPin(secret: string): string {
  return createHash('sha256').update(`pin:${secret}`).digest('base64url').slice(0, 22);
}

/** Janus ids are JSON numbers: random, below 2^48 (well inside 2^53). */
export const randomJanusId = (): number => randomInt(1, 2 ** 47) + 2 ** 47 - 1;

const unavailable = () => new AppError('MEDIA_UNAVAILABLE');

/**
 * Meeting rooms on the Janus pool: placed on the least-loaded live server at first join, with a
 * random secret (host controls) and pin (joins, added by the proxy); moved to another server
 * when theirs dies.
 */
export class MeetingRooms {
  constructor(
    private readonly pool: JanusPool,
    private readonly repo: MeetingsRepo,
    private readonly log: Logger,
  ) {}

  /** Whether meetings can have media at all. */
  get configured(): boolean {
    return this.pool.configured;
  }

  /** A live server by id (for the proxy and host controls). */
  live(server: string): LiveServer | null {
    return this.pool.live(server);
  }

  /** The meeting's room on a live server, creating (or re-creating) it when needed. */
  async ensure(meeting: MeetingState): Promise<RoomPlace> {
    if (!this.pool.configured) throw unavailable();
    await this.pool.start();
    if (meeting.media && this.pool.live(meeting.media.server)) return meeting.media;
    const placed = await this.place(meeting, meeting.media?.server ?? null);
    if (placed) return placed;
    // Someone else placed it meanwhile: use theirs.
    const fresh = await this.repo.get(meeting.id);
    if (fresh?.media && this.pool.live(fresh.media.server)) return fresh.media;
    throw unavailable();
  }

  /** Create the room on the least-loaded live server and record it if the meeting is still `from`. */
  async place(meeting: MeetingState, from: string | null): Promise<RoomPlace | null> {
    const server = await this.leastLoaded(from);
    if (!server) return null;
    const place: RoomPlace = {
      server: server.id,
      room: meeting.media?.room ?? randomJanusId(),
      secret: randomBytes(18).toString('base64url'),
    };
    await server.control.videoroom({
      request: 'create',
      room: place.room,
      description: `zhixin ${meeting.id}`,
      secret: place.secret,
      pin: roomPin(place.secret),
      is_private: true,
      publishers: 100,
      // VP9 first (SVC where the browser does it), VP8 as the fallback (simulcast substreams).
      videocodec: 'vp9,vp8',
      audiocodec: 'opus',
      audiolevel_event: true,
      audio_active_packets: 50,
      audio_level_average: 40,
      notify_joining: true,
      bitrate: 2_000_000,
    });
    if (await this.repo.placeRoom(meeting.id, from, place, Date.now())) return place;
    await this.destroy(place);
    return null;
  }

  async destroy(place: RoomPlace): Promise<void> {
    const server = this.pool.live(place.server);
    if (!server) return;
    await server.control
      .videoroom({ request: 'destroy', room: place.room, secret: place.secret })
      .catch((err: unknown) => this.log.debug({ err, room: place.room }, 'janus room destroy failed'));
  }

  /** Kick publishers out of the room (a removed participant's camera and screen feeds). */
  async kick(place: RoomPlace, feedIds: readonly number[]): Promise<void> {
    const server = this.pool.live(place.server);
    if (!server) return;
    for (const id of feedIds) {
      // A feed that is not publishing answers "no such feed": nothing to kick.
      await server.control
        .videoroom({ request: 'kick', room: place.room, secret: place.secret, id })
        .catch(() => undefined);
    }
  }

  /**
   * Mute or unmute a participant's audio in Janus (`moderate` each audio m-line of each of their
   * feeds, as the proxy saw them published): the host's mute holds even against a modified client.
   */
  async moderate(place: RoomPlace, audioMids: Record<string, string[]>, mute: boolean): Promise<void> {
    const server = this.pool.live(place.server);
    if (!server) return;
    for (const [feed, mids] of Object.entries(audioMids)) {
      for (const mid of mids) {
        await server.control
          .videoroom({
            request: 'moderate',
            room: place.room,
            secret: place.secret,
            id: Number(feed),
            mid,
            mute,
          })
          .catch((err: unknown) => this.log.debug({ err, feed, mid }, 'janus moderate failed'));
      }
    }
  }

  private async leastLoaded(exclude: string | null): Promise<LiveServer | null> {
    const alive = this.pool.aliveIds().filter((id) => id !== exclude);
    if (!alive.length) return null;
    const load = await this.repo.roomsPerServer();
    alive.sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b));
    return this.pool.live(alive[0]!);
  }
}
