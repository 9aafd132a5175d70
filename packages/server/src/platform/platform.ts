import cluster from 'node:cluster';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { ConfigError, type Config } from '../config.ts';
import { AppError } from '../errors.ts';
import { MemoryBroker, type Broker } from './broker/index.ts';
import {
  Keyring,
  KeyStoreRepo,
  resolveCustodians,
  type CustodianPasswords,
  type Kek,
} from './crypto/index.ts';
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
  /** The custodian passwords given to a sealed server (`zhixin unseal`), instead of config/env/credentials. */
  custodians?: { password1: string; password2: string };
  /** A KEK already unlocked: a worker gets it from its cluster primary after a sealed start. */
  kek?: Kek;
}

/** How often a node renews its KEK lease and re-reads the keys (a rotation may have added a data key). */
export const KEY_LEASE_RENEW_MS = 30_000;
/** A lease not renewed for this long belongs to a node that is gone. */
export const KEY_LEASE_TTL_MS = 3 * KEY_LEASE_RENEW_MS;

/** The custodian passwords from config, env or systemd credentials (or development secrets); null: sealed. */
export function configuredCustodians(config: Config, log: Logger): CustodianPasswords | null {
  return resolveCustodians(
    {
      password1: config.security.custodianPassword1,
      password2: config.security.custodianPassword2,
      allowDevSecrets: config.security.allowDevSecrets,
      dataDir: config.dataDir,
      credentialsDir: process.env.CREDENTIALS_DIRECTORY,
    },
    log,
  );
}

async function openKeyring(
  config: Config,
  store: KeyStoreRepo,
  overrides: PlatformOverrides,
  log: Logger,
): Promise<Keyring> {
  const { encryptAtRest, allowDevSecrets, kdfLogN } = config.security;
  if (!encryptAtRest) {
    if (!allowDevSecrets)
      throw new ConfigError(
        'security.encryptAtRest',
        'false is allowed only with security.allowDevSecrets=true',
      );
    log.warn(
      'ENCRYPTION AT REST IS OFF (security.encryptAtRest=false): new messages, phone numbers, file names and ' +
        'profiles are stored in PLAIN TEXT. For benchmarks only; never in production.',
    );
  }
  if (overrides.kek) return Keyring.fromKek(store, overrides.kek, { encryptAtRest });
  const custodians = overrides.custodians ?? configuredCustodians(config, log);
  if (!custodians) throw new AppError('SEALED');
  return Keyring.unseal(store, custodians.password1, custodians.password2, kdfLogN, { encryptAtRest });
}

/** The database URL the config names: PostgreSQL, or the embedded SQLite file under the data dir. */
export function databaseUrlOf(config: Config): string {
  return config.databaseUrl || join(config.dataDir, 'zhixin.db');
}

async function openBroker(config: Config, nodeId: string, log: Logger): Promise<Broker> {
  if (config.natsUrl) {
    const { NatsBroker } = await import('./broker/nats.ts');
    return NatsBroker.connect(config.natsUrl, {
      name: `zhixin-${nodeId}`,
      subjectPrefix: config.natsSubjectPrefix,
      log,
    });
  }
  // A worker of `zhixin start --workers N` without NATS: the primary relays between workers.
  const { IPC_BROKER_ENV, IpcBroker } = await import('./broker/ipc.ts');
  if (cluster.isWorker && process.env[IPC_BROKER_ENV] === '1') return IpcBroker.fromProcess(log);
  return new MemoryBroker((err, subject) => log.error({ err, subject }, 'broker subscriber failed'));
}

/**
 * Open the database (and migrate it), the broker and the keyring. Throws SEALED without custodians
 * (`zhixin start` then serves sealed until `zhixin unseal` gives them: cli/sealed.ts).
 */
export async function createPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  const nodeId = config.nodeId || newId().slice(-10).toLowerCase();
  const log = (overrides.log ?? createLogger(config.logLevel)).child({ node: nodeId });
  const database = openDatabase({
    url: databaseUrlOf(config),
    pool: config.databasePool,
    onIdleError: (err) => log.warn({ err }, 'an idle database connection failed; the pool replaces it'),
  });
  try {
    await migrateToLatest(database);
    // Warm connections are a head start, not a condition: a node that could open fewer still serves.
    await database.warm().catch((err: unknown) => log.warn({ err }, 'database pool not fully warm'));
    const store = new KeyStoreRepo(database.db, database.dialect);
    const keyring = await openKeyring(config, store, overrides, log);
    const broker = overrides.broker ?? (await openBroker(config, nodeId, log));
    // The lease tells `zhixin keys rotate` that this node holds the KEK; the same tick picks up a
    // data key that a rotation added, so new writes move to it within one period.
    const lease = () => store.renew({ nodeId, kekId: keyring.kekId, seenAt: Date.now() });
    await lease();
    const leaseTimer = setInterval(() => {
      lease()
        .then(() => keyring.reload())
        .catch((err: unknown) => log.warn({ err }, 'key lease renewal failed'));
    }, KEY_LEASE_RENEW_MS);
    leaseTimer.unref();
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
        clearInterval(leaseTimer);
        await store.release(nodeId).catch((err: unknown) => log.warn({ err }, 'key lease release failed'));
        await broker.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
