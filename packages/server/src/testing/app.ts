import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type App, type BuildOptions } from '../app.ts';
import { loadConfig, type DeepPartial, type Config } from '../config.ts';
import { MemoryBroker } from '../platform/broker/index.ts';
import { testSubjectPrefix } from '../platform/broker/testing.ts';
import { freshDatabaseUrl } from '../platform/db/testing.ts';

export { testDialects } from '../platform/db/testing.ts';

export interface TestAppOptions extends BuildOptions {
  dialect?: 'sqlite' | 'postgres';
  /** Reuse a database (e.g. for a second node of a cluster test). */
  databaseUrl?: string;
  /** Connect to NATS (ZX_TEST_NATS_URL) instead of the in-process broker. */
  nats?: boolean;
  /** Reuse a data dir (same dev custodian secrets for a second node). */
  dataDir?: string;
  config?: DeepPartial<Config>;
}

/** The NATS URL for tests; in CI a missing one is a failure. */
export function testNatsUrl(): string | undefined {
  const url = process.env.ZX_TEST_NATS_URL;
  if (!url && process.env.CI === 'true') throw new Error('CI=true but ZX_TEST_NATS_URL is not set');
  return url;
}

/**
 * A real server for one test: fresh database (SQLite file or PostgreSQL database), temp data dir,
 * silent logs, random port. Call `listen()` when the test needs a socket; always `close()`.
 */
export async function buildTestApp(opts: TestAppOptions = {}): Promise<App> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'zx-app-'));
  const databaseUrl = opts.databaseUrl ?? (await freshDatabaseUrl(opts.dialect ?? 'sqlite'));
  const natsUrl = opts.nats ? testNatsUrl() : undefined;
  if (opts.nats && !natsUrl) throw new Error('nats requested but ZX_TEST_NATS_URL is not set');
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl,
      natsUrl: natsUrl ?? '',
      natsSubjectPrefix: natsUrl ? testSubjectPrefix(databaseUrl) : '',
      logLevel: 'silent',
      // Shared test apps call the limited operations far more often than a person would.
      http: { rateLimitPerMinute: 100_000, callerLimitMultiplier: 1000 },
      // A cheap key derivation: tests create hundreds of installations.
      security: { kdfLogN: 10 },
      ...opts.config,
    },
  });
  return buildApp(config, opts);
}

/**
 * Two nodes of a cluster for one test file: two servers on one fresh database and one in-process
 * broker. Close them with `closeNodes`.
 */
export async function buildTwoNodes(dialect: 'sqlite' | 'postgres'): Promise<[App, App]> {
  const broker = new MemoryBroker();
  const databaseUrl = await freshDatabaseUrl(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'zx-two-nodes-'));
  const a = await buildTestApp({ databaseUrl, dataDir, broker });
  return [a, await buildTestApp({ databaseUrl, dataDir, broker })];
}

/** Close the nodes of buildTwoNodes, the second first. */
export async function closeNodes(nodes: readonly App[]): Promise<void> {
  for (const node of [...nodes].reverse()) await node.close();
}
