import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { logTail, openServerLog } from './server-log.ts';

export interface Target {
  name: 'sqlite' | 'pg';
  databaseUrl: string;
  natsUrl: string;
  dataDir: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A fresh store for one run: a SQLite file, or a new PostgreSQL database + NATS. */
export async function prepareTarget(name: 'sqlite' | 'pg'): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'zx-bench-'));
  if (name === 'sqlite') return { name, databaseUrl: join(dataDir, 'zhixin.db'), natsUrl: '', dataDir };
  const base = process.env.ZX_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = `zx_bench_${Date.now()}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(`CREATE DATABASE ${db}`);
  await client.end();
  const url = new URL(base);
  url.pathname = `/${db}`;
  return {
    name,
    databaseUrl: url.toString(),
    natsUrl: process.env.ZX_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222',
    dataDir,
  };
}

/** The environment a benchmark server runs with: generous limits, quiet logs. */
export function benchEnv(target: Target, port: number, workers: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ZX_PORT: String(port),
    ZX_HOST: '127.0.0.1',
    ZX_DATA_DIR: target.dataDir,
    ZX_DATABASE_URL: target.databaseUrl,
    ZX_NATS_URL: target.natsUrl,
    ZX_WORKERS: String(workers),
    ZX_LOG_LEVEL: 'warn',
    ZX_HTTP_RATE_LIMIT_PER_MINUTE: '10000000',
    ZX_HTTP_CALLER_LIMIT_MULTIPLIER: '100000',
    ZX_GATEWAY_MAX_REQUESTS_PER_SECOND: '100000',
    ZX_AUTH_ACCESS_TTL_SECONDS: '7200',
    ZX_AUTH_SMS_RESEND_SECONDS: '0',
  };
}

let bundleBuilt = false;

/**
 * How a benchmark runs the server: the production bundle (`npm run build:server`, rebuilt once per
 * benchmark process so it matches the sources: about a second), as production nodes run it; or
 * with ZX_BENCH_SERVER=tsx the TypeScript sources under tsx (about 90 MB more per worker).
 */
export function serverCommand(): string[] {
  if (process.env.ZX_BENCH_SERVER === 'tsx') return ['--import', 'tsx', 'packages/server/src/main.ts'];
  if (!bundleBuilt) {
    const built = spawnSync(process.execPath, ['scripts/build-server.mjs'], { encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`npm run build:server failed: ${built.stderr}`);
    bundleBuilt = true;
  }
  return ['packages/server/dist/main.mjs'];
}

/**
 * Start `zhixin start` as its own process and wait until /readyz answers. Its stdout and stderr go
 * to `server.log` in its data dir (env.ZX_DATA_DIR; dropped without one).
 */
export async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  // ZX_BENCH_NODE_ARGS passes extra flags to the server process (e.g. --cpu-prof for a profile).
  const extra = (process.env.ZX_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const serverLog = env.ZX_DATA_DIR ? openServerLog(env.ZX_DATA_DIR) : undefined;
  const out = serverLog?.fd ?? 'ignore';
  const child = spawn(process.execPath, [...extra, ...serverCommand(), 'start'], {
    env,
    stdio: ['ignore', out, out],
  });
  serverLog?.close();
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(
        `server exited with ${child.exitCode}` +
          (serverLog ? `; ${serverLog.path} ends:\n${logTail(serverLog.path)}` : ''),
      );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become ready in 60 s');
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
