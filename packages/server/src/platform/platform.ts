import cluster from 'node:cluster';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { MemoryBroker, type Broker } from './broker/index.ts';
import { Keyring, KeyStoreRepo, resolveCustodians } from './crypto/index.ts';
import { migrateToLatest, openDatabase, type Database, type DB, type Dialect } from './db/index.ts';
import { newId } from './ids.ts';
import { createLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics.ts';

/** Infrastructure every module may use, built once per process from the config. */
export interface Platform {
  readonly config: Config;
  readonly log: Logger;
  readonly database: Database;
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  readonly broker: Broker;
  readonly keyring: Keyring;
  readonly metrics: Metrics;
  /** This process's id in the cluster (gateway routing). */
  readonly nodeId: string;
  close(): Promise<void>;
}

export interface PlatformOverrides {
  log?: Logger;
  broker?: Broker;
}

/** The database URL the config names: PostgreSQL, or the embedded SQLite file under the data dir. */
export function databaseUrlOf(config: Config): string {
  return config.databaseUrl || join(config.dataDir, 'zhixin.db');
}

async function openBroker(config: Config, nodeId: string, log: Logger): Promise<Broker> {
  if (config.natsUrl) {
    const { NatsBroker } = await import('./broker/nats.ts');
    return NatsBroker.connect(config.natsUrl, { name: `zhixin-${nodeId}`, log });
  }
  // A worker of `zhixin start --workers N` without NATS: the primary relays between workers.
  const { IPC_BROKER_ENV, IpcBroker } = await import('./broker/ipc.ts');
  if (cluster.isWorker && process.env[IPC_BROKER_ENV] === '1') return IpcBroker.fromProcess(log);
  return new MemoryBroker((err, subject) => log.error({ err, subject }, 'broker subscriber failed'));
}

/** Open the database (and migrate it), the broker and the keyring. Throws SEALED without custodians. */
export async function createPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  const nodeId = config.nodeId || newId().slice(-10).toLowerCase();
  const log = (overrides.log ?? createLogger(config.logLevel)).child({ node: nodeId });
  const database = openDatabase({ url: databaseUrlOf(config) });
  try {
    await migrateToLatest(database);
    const custodians = resolveCustodians(
      {
        password1: config.security.custodianPassword1,
        password2: config.security.custodianPassword2,
        allowDevSecrets: config.security.allowDevSecrets,
        dataDir: config.dataDir,
        credentialsDir: process.env.CREDENTIALS_DIRECTORY,
      },
      log,
    );
    if (!custodians) throw new AppError('SEALED');
    const keyring = await Keyring.unseal(
      new KeyStoreRepo(database.db),
      custodians.password1,
      custodians.password2,
      config.security.kdfLogN,
    );
    const broker = overrides.broker ?? (await openBroker(config, nodeId, log));
    return {
      config,
      log,
      database,
      db: database.db,
      dialect: database.dialect,
      broker,
      keyring,
      metrics: new Metrics(),
      nodeId,
      async close() {
        await broker.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
