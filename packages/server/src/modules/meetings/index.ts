import { AppError } from '../../errors.ts';
import { GrantSigner, iceServersFor, poolFromConfig, type JanusPool } from '../../platform/media/index.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import { JANUS_PROXY_PATH, JanusProxy, type AuthorizedGrant } from './janus-proxy.ts';
import type { MeetingsContext, MeetingStatsSink } from './meetings.context.ts';
import { MeetingControls } from './meetings.controls.ts';
import { MeetingHistoryRepo } from './meetings.history.repo.ts';
import { MeetingsRepo } from './meetings.repo.ts';
import { MeetingRooms, roomPin } from './meetings.rooms.ts';
import { registerMeetingsRoutes } from './meetings.routes.ts';
import { MeetingsLifecycle } from './meetings.service.ts';

export type { MeetingStatsSink } from './meetings.context.ts';
export { JANUS_PROXY_PATH } from './janus-proxy.ts';

export interface MeetingsModule {
  /** The Janus servers (tests look at and kill them). */
  readonly pool: JanusPool;
  readonly proxy: JanusProxy;
  /** Move the rooms of a server that died (the pool calls it; tests may too). */
  failover(serverId: string): Promise<string[]>;
  close(): Promise<void>;
}

const invalid = () => new AppError('MEDIA_GRANT_INVALID');

/** Meetings (R-V1, R-V2): registers meetings.* and serves the media proxy `/janus`. */
export function createMeetingsModule(
  deps: ModuleDeps & {
    users: UsersService;
    conversations: ConversationsService;
    stats?: MeetingStatsSink;
    /** Upgrade routes of the gateway (the proxy lives beside `/ws`). */
    route(path: string, handler: JanusProxy['upgrade']): void;
    /** A pool to use instead of the one the config describes (tests of failover). */
    pool?: JanusPool;
  },
): MeetingsModule {
  const { platform } = deps;
  const { config } = platform;
  const repo = new MeetingsRepo(platform.db, platform.dialect, platform.keyring);
  const pool = deps.pool ?? poolFromConfig(config.media, platform.log);
  const rooms = new MeetingRooms(pool, repo, platform.log);
  const ctx: MeetingsContext = {
    repo,
    historyRepo: new MeetingHistoryRepo(platform.db, platform.keyring),
    rooms,
    events: deps.events,
    broker: platform.broker,
    grants: new GrantSigner((data) => platform.keyring.blindIndex('media-grant', data)),
    log: platform.log,
    stats: deps.stats ?? null,
    publicUrl: config.publicUrl,
    grantTtlMs: config.media.grantTtlSeconds * 1000,
    async displayName(userId) {
      const [profile] = await deps.users.profiles([userId]);
      return profile?.nickname || userId;
    },
    now: () => Date.now(),
  };
  const lifecycle = new MeetingsLifecycle(ctx, {
    async membersOf(conversationId, userId) {
      const membership = await deps.conversations.requireMember(conversationId, userId);
      if (membership.kind === 'channel')
        throw new AppError('FORBIDDEN', { reason: 'meetings are not held in a channel' });
      return membership.memberIds;
    },
    existing: (ids) => deps.users.existing(ids),
    iceServers: (userId) => iceServersFor(config.media, userId).iceServers,
  });
  const controls = new MeetingControls(ctx);
  pool.onDown((serverId) => {
    controls
      .failover(serverId)
      .catch((err: unknown) => platform.log.error({ err, serverId }, 'failover failed'));
  });
  registerMeetingsRoutes(deps.ops, lifecycle, controls);

  const authorize = async (grant: string): Promise<AuthorizedGrant> => {
    const claims = ctx.grants.verify(grant);
    if (!claims) throw invalid();
    const m = await repo.get(claims.meetingId);
    if (!m || m.status !== 'live' || m.media?.server !== claims.server || m.media.room !== claims.room) {
      throw invalid();
    }
    const p = await repo.participant(m.id, claims.userId);
    if (
      !p ||
      !p.present ||
      p.removed ||
      p.feedId !== claims.feedId ||
      p.screenFeedId !== claims.screenFeedId
    ) {
      throw invalid();
    }
    const server = rooms.live(claims.server);
    if (!server) throw new AppError('MEDIA_UNAVAILABLE');
    return { claims, server, secrets: { token: server.token, pin: roomPin(m.media.secret) } };
  };
  const published = async (claims: AuthorizedGrant['claims'], feedId: number, mids: string[]) => {
    await repo.setAudioMids(claims.meetingId, claims.userId, feedId, mids);
    const m = await repo.get(claims.meetingId);
    const p = await repo.participant(claims.meetingId, claims.userId);
    // Joined (or published again) while the host has them muted: muted in Janus from the start.
    if (m?.media && p?.mutedByHost) await rooms.moderate(m.media, { [String(feedId)]: mids }, true);
  };
  const proxy = new JanusProxy({
    authorize,
    published: (claims, feedId, mids) => {
      published(claims, feedId, mids).catch((err: unknown) =>
        platform.log.error({ err }, 'could not note audio'),
      );
    },
    broker: platform.broker,
    log: platform.log,
  });
  deps.route(JANUS_PROXY_PATH, proxy.upgrade);

  return {
    pool,
    proxy,
    failover: (serverId) => controls.failover(serverId),
    async close() {
      proxy.close();
      await pool.close();
    },
  };
}
