import type { EventSink } from '../../platform/events.ts';
import type { ModuleDeps } from '../deps.ts';
import { StatsCalendar } from './stats.calendar.ts';
import { countingUsers, StatsEventTap } from './stats.observers.ts';
import { OnlineBoard, type ClusterOnline } from './stats.online.ts';
import { StatsRecorder, type KindOf } from './stats.recorder.ts';
import { StatsRepo } from './stats.repo.ts';
import { registerStatsRoutes } from './stats.routes.ts';
import { createStatsService, type StatsService } from './stats.service.ts';

export type { ActiveUser, MeetingRecord, StatsService, TimeRange } from './stats.service.ts';
export type { KindOf } from './stats.recorder.ts';
export { StatsCalendar } from './stats.calendar.ts';

/** The statistics module's hooks into the rest of the server (wired in app.ts). */
export interface StatsModule {
  readonly service: StatsService;
  /** An event sink that also counts new messages and conversations. */
  tap(sink: EventSink): EventSink;
  /** The users service, also counting new accounts and activity. */
  countUsers<T extends Parameters<typeof countingUsers>[0]>(users: T): T;
  /** For the auth module: a login or registration. */
  onLogin(userId: string, at: number): void;
  /** Where kinds of conversations come from (1:1 or group). */
  useKinds(kindOf: KindOf): void;
  /** Start flushing and sampling the online peak. */
  start(): void;
  /** Stop, and write what is still counted. */
  stop(): Promise<void>;
}

export interface StatsModuleDeps extends ModuleDeps {
  /** What this node's gateway knows about who is connected, cluster-wide. */
  online: ClusterOnline;
  now?: () => number;
}

/** Usage statistics: counts events into rollups, online now across the cluster; registers stats.*. */
export function createStatsModule(deps: StatsModuleDeps): StatsModule {
  const { platform } = deps;
  const config = platform.config.stats;
  const now = deps.now ?? (() => Date.now());
  const calendar = new StatsCalendar(config.timeZone);
  const repo = new StatsRepo(platform.db, platform.dialect);
  const recorder = new StatsRecorder(repo, calendar);
  const board = new OnlineBoard(deps.online, {
    intervalMs: config.onlineIntervalMs,
    now,
    onSample: (users, connections, at) => recorder.onlineSample(users, connections, at),
  });
  const service = createStatsService({
    repo,
    recorder,
    calendar,
    online: () => board.report(),
    now,
    closeGraceMs: 2 * config.flushIntervalMs + 60_000,
  });
  registerStatsRoutes(deps.ops, service);
  let timer: NodeJS.Timeout | null = null;
  const flush = () =>
    recorder.flush().catch((err: unknown) => platform.log.error({ err }, 'writing usage statistics failed'));
  return {
    service,
    tap: (sink) => new StatsEventTap(sink, recorder, now),
    countUsers: (users) => countingUsers(users, recorder, now),
    onLogin: (userId, at) => recorder.login(userId, at),
    useKinds: (kindOf) => recorder.useKinds(kindOf),
    start() {
      board.start();
      timer = setInterval(() => void flush(), config.flushIntervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      board.stop();
      await flush();
    },
  };
}
