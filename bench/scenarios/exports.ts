import { performance } from 'node:perf_hooks';
import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { staffUser } from '../../packages/server/src/testing/factories.ts';
import type { BenchArgs } from '../lib/args.ts';
import { prepareTarget } from '../lib/server.ts';

const MB = 1024 * 1024;

export interface ExportRun {
  file: string;
  rows: number;
  bytes: number;
  seconds: number;
  /** Heap and RSS of the whole server process while the export streamed, over the baseline before it. */
  heapGrowthMb: number;
  rssGrowthMb: number;
}

export interface ExportsBenchResult {
  scenario: 'exports';
  target: 'sqlite' | 'pg';
  users: number;
  seedSeconds: number;
  baselineHeapMb: number;
  runs: ExportRun[];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Download one export over a real socket, reading as fast as possible, sampling memory meanwhile. */
async function measure(app: App, base: string, token: string, file: string): Promise<ExportRun> {
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const t = performance.now();
  const res = await fetch(`${base}/api/v1/exports/${file}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok || !res.body) throw new Error(`${file}: HTTP ${res.status}`);
  let bytes = 0;
  for await (const chunk of res.body) bytes += (chunk as Uint8Array).byteLength;
  clearInterval(timer);
  const seconds = (performance.now() - t) / 1000;
  // The row count the export itself recorded in the audit log.
  const [record] = (await app.services.audit.list({ category: 'admin' })).records;
  return {
    file,
    rows: Number(record?.details.rows ?? -1),
    bytes,
    seconds: round(seconds),
    heapGrowthMb: round((peakHeap - before.heapUsed) / MB),
    rssGrowthMb: round((peakRss - before.rss) / MB),
  };
}

/**
 * `npm run bench -- exports [--users 85000] [--target sqlite|pg]`: seed the users, then stream the
 * registered-users export as CSV and XLSX and the behaviour profiles as JSON lines, and report how
 * much the server's memory grew while each streamed (flat, not proportional to the rows).
 */
export async function runExportsBench(args: BenchArgs): Promise<ExportsBenchResult> {
  const users = Number(args.flags.users ?? 85_000);
  const target = String(args.flags.target ?? 'sqlite') === 'pg' ? 'pg' : 'sqlite';
  const t = await prepareTarget(target);
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: t.dataDir,
      databaseUrl: t.databaseUrl,
      logLevel: 'warn',
      port: 0,
      host: '127.0.0.1',
      security: { kdfLogN: 10 },
      http: { rateLimitPerMinute: 1_000_000, callerLimitMultiplier: 100_000 },
      // The seeded users plus the staff who export them.
      license: { maxUsers: users + 10 },
    },
  });
  const app: App = await buildApp(config);
  try {
    const operator = await staffUser(app, 'operator');
    const seedStart = performance.now();
    for (let i = 0; i < users; i += 250) {
      const batch = [];
      for (let j = i; j < Math.min(users, i + 250); j++)
        batch.push(
          app.services.users.createAccount({
            phone: `+8613${String(100_000_000 + j)}`,
            passwordHash: '',
            nickname: `用户${j}`,
            role: 'user',
          }),
        );
      await Promise.all(batch);
      if (i % 10_000 === 0) console.error(`[exports:${target}] seeded ${i} users`);
    }
    const seedSeconds = round((performance.now() - seedStart) / 1000);
    const port = await app.listen();
    const base = `http://127.0.0.1:${port}`;
    global.gc?.();
    const baselineHeapMb = round(process.memoryUsage().heapUsed / MB);
    const now = Date.now();
    const runs: ExportRun[] = [];
    for (const file of [
      'users.csv',
      'users.xlsx',
      `profiles.jsonl?from=${now - 30 * 86_400_000}&to=${now}`,
    ]) {
      console.error(`[exports:${target}] streaming ${file.split('?')[0]}`);
      runs.push(await measure(app, base, operator.accessToken, file));
    }
    const result: ExportsBenchResult = {
      scenario: 'exports',
      target,
      users,
      seedSeconds,
      baselineHeapMb,
      runs,
    };
    console.error(
      `\n${users} users on ${target} (seeded in ${seedSeconds} s); server heap before: ${baselineHeapMb} MB`,
    );
    for (const r of runs)
      console.error(
        `  ${r.file.split('?')[0]!.padEnd(15)} ${String(r.rows).padStart(7)} rows  ${(r.bytes / MB).toFixed(1).padStart(6)} MB in ${r.seconds} s  heap +${r.heapGrowthMb} MB  rss +${r.rssGrowthMb} MB`,
      );
    return result;
  } finally {
    await app.close();
  }
}
