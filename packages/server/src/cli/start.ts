import cluster from 'node:cluster';
import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';
import { ensureFirstAdmin } from '../modules/auth/index.ts';
import { runWorkers } from './workers.ts';

/**
 * `zhixin start`: serve until SIGINT/SIGTERM, then shut down gracefully. Returns -1 (keep running).
 * With `--workers N` (N > 1) this process becomes the cluster primary and each worker, started
 * with the same command, takes the single-process path below.
 */
export async function runStart(config: Config): Promise<number> {
  if (config.workers > 1 && cluster.isPrimary) return runWorkers(config);
  const app = await buildApp(config);
  // One process creates the first administrator: the only one, or the first worker.
  if (cluster.isPrimary || cluster.worker?.id === 1) await ensureFirstAdmin(app.services, app.platform.log);
  const port = await app.listen();
  app.platform.log.info({ port }, `Zhixin listening on http://localhost:${port}`);
  const stop = (signal: string) => {
    app.platform.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}
