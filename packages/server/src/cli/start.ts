import { buildApp } from '../app.ts';
import type { Config } from '../config.ts';

/** `zhixin start`: serve until SIGINT/SIGTERM, then shut down gracefully. Returns -1 (keep running). */
export async function runStart(config: Config): Promise<number> {
  const app = await buildApp(config);
  const port = await app.listen();
  app.platform.log.info({ port, node: app.platform.nodeId }, `Zhixin listening on http://localhost:${port}`);
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
