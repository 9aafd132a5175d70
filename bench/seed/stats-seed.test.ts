import { describe, expect, it } from 'vitest';
import { buildTestApp, testDialects } from '../../packages/server/src/testing/app.ts';
import { runStatsBench } from '../scenarios/stats.ts';
import { seedStats } from './stats-seed.ts';

const DAY_MS = 86_400_000;

describe.each(testDialects())('the stats benchmark seed (%s)', (dialect) => {
  it('fills the rollups so that the APIs add up to the workload it generated', async () => {
    const app = await buildTestApp({ dialect, config: { opsAccount: { enabled: false } } });
    try {
      const end = Date.now();
      const seed = await seedStats(app.platform.db, app.platform.dialect, {
        users: 60,
        messages: 3000,
        days: 14,
        end,
        timeZone: app.platform.config.stats.timeZone,
      });
      expect(seed.directMessages + seed.groupMessages).toBe(3000);
      const series = await app.services.stats.series({
        metrics: 'directMessages,groupMessages,logins,newUsers,newGroups,meetings',
        from: end - 20 * DAY_MS,
        to: end + DAY_MS,
        granularity: 'week',
      });
      const total = (metric: string) =>
        series.lines.find((l) => l.metric === metric)!.values.reduce((a, b) => a + b, 0);
      expect(total('directMessages')).toBe(seed.directMessages);
      expect(total('groupMessages')).toBe(seed.groupMessages);
      expect(total('logins')).toBe(seed.logins);
      expect(total('newUsers')).toBe(seed.newUsers);
      expect(total('newGroups')).toBe(seed.newGroups);
      expect(total('meetings')).toBe(seed.meetings);
      const after = await app.services.stats.series({
        metrics: 'directMessages,groupMessages,logins',
        from: end + 1,
        to: end + 2 * DAY_MS,
        granularity: 'hour',
      });
      // Nothing was recorded after the end of the seeded period.
      expect(after.lines.flatMap((l) => l.values.slice(1)).every((v) => v === 0)).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('npm run bench -- stats', () => {
  it('runs end to end with a tiny workload and reports latencies', async () => {
    const result = await runStatsBench({
      scenario: 'stats',
      n: 0,
      duration: 0,
      flags: { users: '40', messages: '800', runs: '2', target: 'sqlite' },
    });
    const [only] = result.results;
    expect(only?.seed.messages).toBe(800);
    expect(only?.dashboard.runs).toBe(2);
    expect(only?.dashboard.p50Ms).toBeGreaterThan(0);
  }, 120_000);
});
