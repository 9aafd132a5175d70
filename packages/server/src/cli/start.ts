import cluster from 'node:cluster';
import { buildApp, type App } from '../app.ts';
import type { Config } from '../config.ts';
import { ensureFirstAdmin } from '../modules/auth/index.ts';
import type { Kek } from '../platform/crypto/index.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { configuredCustodians } from '../platform/platform.ts';
import { gateAccepts, WORKER_FILE_RESERVE } from './accept-balance.ts';
import { listenForUnseal, serveSealed } from './sealed.ts';
import { openFileLimit, runWorkers } from './workers.ts';

/** Set by a primary that was unsealed by `zhixin unseal`: its workers ask it for the KEK over IPC. */
export const KEK_FROM_PRIMARY_ENV = 'ZX_KEK_FROM_PRIMARY';
const KEK_WAIT_MS = 30_000;

type KekIpc = { zx: 'kek?' } | { zx: 'kek'; id: string; key: string };
const isKekIpc = (m: unknown): m is KekIpc =>
  typeof m === 'object' && m !== null && ((m as KekIpc).zx === 'kek?' || (m as KekIpc).zx === 'kek');

/**
 * No custodian passwords in config, env or credentials (and no development secrets): serve 503 SEALED
 * on the HTTP port and collect the passwords on `<dataDir>/unseal.sock` until they unlock the KEK.
 * The SEALED answers go on until `closeHttp`, so the caller can finish booting first.
 */
export async function waitForUnseal(
  config: Config,
  log: Logger,
): Promise<{ kek: Kek; closeHttp(): Promise<void> }> {
  const http = await serveSealed(config);
  const listener = await listenForUnseal(config, log);
  log.warn(
    { port: http.port, socket: listener.socketPath },
    'SEALED: no custodian passwords are configured. Each custodian runs `zhixin unseal` on this host.',
  );
  return { kek: await listener.unsealed, closeHttp: http.close };
}

/** A worker of a primary unsealed by `zhixin unseal`: the primary holds the KEK and hands it over. */
function kekFromPrimary(): Promise<Kek> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the cluster primary did not send the key')),
      KEK_WAIT_MS,
    );
    const onMessage = (m: unknown) => {
      if (!isKekIpc(m) || m.zx !== 'kek') return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve({ id: m.id, key: Buffer.from(m.key, 'base64') });
    };
    process.on('message', onMessage);
    process.send?.({ zx: 'kek?' } satisfies KekIpc);
  });
}

/**
 * `zhixin start --workers N` primary. Sealed, it collects the passwords itself and keeps only the KEK,
 * which it gives to each worker it forks (restarted ones included) over the IPC channel: one socket,
 * one `zhixin unseal` per custodian, no password in any worker. The HTTP port answers SEALED until then.
 */
async function runSealablePrimary(config: Config): Promise<number> {
  const log = createLogger(config.logLevel).child({ role: 'primary' });
  // Silent: runWorkers' own platform logs the development-secrets warning when it applies.
  if (configuredCustodians(config, createLogger('silent'))) return runWorkers(config);
  const sealed = await waitForUnseal(config, log);
  // The workers take over the port.
  await sealed.closeHttp();
  const kek = sealed.kek;
  process.env[KEK_FROM_PRIMARY_ENV] = '1';
  cluster.on('message', (worker, m: unknown) => {
    if (isKekIpc(m) && m.zx === 'kek?')
      worker.send({ zx: 'kek', id: kek.id, key: kek.key.toString('base64') } satisfies KekIpc);
  });
  return runWorkers(config, { kek });
}

/**
 * Build the app from whatever unlocks the keys: the primary's KEK, configured passwords, or (sealed
 * start) the custodians' `zhixin unseal`. Resolves once unsealed and built; the caller listens.
 */
export async function bootApp(config: Config, log: Logger): Promise<App> {
  if (cluster.isWorker && process.env[KEK_FROM_PRIMARY_ENV] === '1')
    return buildApp(config, { log, kek: await kekFromPrimary() });
  const custodians = configuredCustodians(config, log);
  if (custodians) return buildApp(config, { log, custodians });
  const sealed = await waitForUnseal(config, log);
  try {
    return await buildApp(config, { log, kek: sealed.kek });
  } finally {
    sealed.kek.key.fill(0);
    await sealed.closeHttp();
  }
}

/**
 * `zhixin start`: serve until SIGINT/SIGTERM, then shut down gracefully. Returns -1 (keep running).
 * With `--workers N` (N > 1) this process becomes the cluster primary and each worker, started
 * with the same command, takes the single-process path below.
 */
export async function runStart(config: Config): Promise<number> {
  if (config.workers > 1 && cluster.isPrimary) return runSealablePrimary(config);
  const app = await bootApp(config, createLogger(config.logLevel));
  // One process creates the first administrator: the only one, or the first worker.
  if (cluster.isPrimary || cluster.worker?.id === 1) await ensureFirstAdmin(app.services, app.platform.log);
  const port = await app.listen();
  if (cluster.isWorker && config.workerAccept === 'shared') {
    const files = openFileLimit();
    const hardLimit = files === undefined ? Infinity : files - WORKER_FILE_RESERVE;
    gateAccepts(app.http.server, { hardLimit, log: app.platform.log });
  }
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
