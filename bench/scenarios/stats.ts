import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { STATS_METRICS } from '@zhixin/protocol';
import { buildApp, type App } from '../../packages/server/src/app.ts';
import { loadConfig } from '../../packages/server/src/config.ts';
import { percentile, type BenchArgs } from '../lib/args.ts';
import { prepareTarget } from '../lib/server.ts';
import { seedStats, type StatsSeedSummary } from '../seed/stats-seed.ts';

const DAY_MS = 86_400_000;

export interface StatsTargetResult {
  target: 'sqlite' | 'pg';
  seed: StatsSeedSummary;
  /** The first dashboard load: computes and keeps the distinct counts of the closed days. */
  coldMs: number;
  /** Repeated dashboard loads (overview + 90-day daily series of every metric). */
  dashboard: { runs: number; p50Ms: number; p99Ms: number; maxMs: number };
  overview: { p50Ms: number; p99Ms: number };
  series90d: { p50Ms: number; p99Ms: number };
  weeklySeries90d: { p50Ms: number; p99Ms: number };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function runOn(target: 'sqlite' | 'pg', args: BenchArgs): Promise<StatsTargetResult> {
  const users = Number(args.flags.users ?? 85_000);
  const messages = Number(args.flags.messages ?? 10_000_000);
  const runs = Number(args.flags.runs ?? 20);
  const t = await prepareTarget(target);
  const config = loadConfig({
    env: {},
    file: '',
    overrides: {
      dataDir: t.dataDir,
      databaseUrl: t.databaseUrl,
      logLevel: 'warn',
      port: 0,
      security: { kdfLogN: 10 },
    },
  });
  const app: App = await buildApp(config);
  try {
    const now = Date.now();
    console.error(`[stats:${target}] seeding ${users} users and ${messages} messages over 120 days`);
    const seed = await seedStats(app.platform.db, app.platform.dialect, {
      users,
      messages,
      days: 120,
      end: now,
      timeZone: config.stats.timeZone,
      progress: (d, days) => {
        if (d % 10 === 0 || d === days) console.error(`[stats:${target}]   day ${d}/${days}`);
      },
    });
    console.error(
      `[stats:${target}] seeded in ${(seed.seedMs / 1000).toFixed(1)} s: ${seed.userDayRows} user-days`,
    );
    const stats = app.services.stats;
    const daily = {
      metrics: STATS_METRICS.join(','),
      from: now - 90 * DAY_MS,
      to: now,
      granularity: 'day' as const,
    };
    const weekly = { ...daily, granularity: 'week' as const };
    const dashboard = () => Promise.all([stats.overview(), stats.series(daily)]);
    const coldMs = await timed(dashboard);
    const samples = {
      dashboard: [] as number[],
      overview: [] as number[],
      series: [] as number[],
      weekly: [] as number[],
    };
    for (let i = 0; i < runs; i++) {
      samples.dashboard.push(await timed(dashboard));
      samples.overview.push(await timed(() => stats.overview()));
      samples.series.push(await timed(() => stats.series(daily)));
      samples.weekly.push(await timed(() => stats.series(weekly)));
    }
    const p = (xs: number[]) => ({ p50Ms: round(percentile(xs, 50)), p99Ms: round(percentile(xs, 99)) });
    return {
      target,
      seed,
      coldMs: round(coldMs),
      dashboard: { runs, ...p(samples.dashboard), maxMs: round(Math.max(...samples.dashboard)) },
      overview: p(samples.overview),
      series90d: p(samples.series),
      weeklySeries90d: p(samples.weekly),
    };
  } finally {
    await app.close();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/**
 * `npm run bench -- stats [--users 85000] [--messages 10000000] [--runs 20] [--target sqlite|pg|both]`:
 * seed the rollups with the usage of `--users` users sending `--messages` messages over 120 days
 * (driving the real rollup code), then time the 90-day dashboard's queries.
 */
export async function runStatsBench(args: BenchArgs) {
  const which = String(args.flags.target ?? 'sqlite');
  const targets: Array<'sqlite' | 'pg'> =
    which === 'both' ? ['sqlite', 'pg'] : [which === 'pg' ? 'pg' : 'sqlite'];
  const results: StatsTargetResult[] = [];
  for (const target of targets) results.push(await runOn(target, args));
  for (const r of results)
    console.error(
      `[stats:${r.target}] 90-day dashboard over ${r.seed.users} users / ${r.seed.messages} messages: ` +
        `cold ${r.coldMs} ms, then p50 ${r.dashboard.p50Ms} ms, p99 ${r.dashboard.p99Ms} ms ` +
        `(overview p50 ${r.overview.p50Ms} ms, daily series p50 ${r.series90d.p50Ms} ms, weekly p50 ${r.weeklySeries90d.p50Ms} ms)`,
    );
  return {
    scenario: 'stats',
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memGb: Math.round(totalmem() / 2 ** 30),
    },
    results,
  };
}
