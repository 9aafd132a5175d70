import type { OperationRegistry } from '../../http/operations.ts';
import type { StatsService } from './stats.service.ts';

/** stats.* (operators and administrators; the registry checks the role). */
export function registerStatsRoutes(ops: OperationRegistry, stats: StatsService): void {
  ops.register('stats.overview', async () => stats.overview());
  ops.register('stats.series', async (req) => stats.series(req));
  ops.register('stats.online', async () => stats.online());
  ops.register('stats.userActivity', async (req) =>
    stats.userActivity(req.userId, {
      ...(req.from !== undefined ? { from: req.from } : {}),
      ...(req.to !== undefined ? { to: req.to } : {}),
    }),
  );
}
