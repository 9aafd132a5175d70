import { describe, expect, it } from 'vitest';
import { runFeedBench } from './feed.ts';

describe('the feed benchmark (smoke)', () => {
  it('seeds friends who post daily and measures the feeds on SQLite and PostgreSQL', async () => {
    const result = await runFeedBench({
      scenario: 'feed',
      n: 0,
      duration: 0,
      flags: { friends: '30', days: '3', samples: '3', pages: '3', target: 'both' },
    });
    expect(result.results.map((r) => r.target)).toEqual(['sqlite', 'pg']);
    for (const r of result.results) {
      expect(r.posts).toBe(90);
      expect(r.friendsFirstPage).toMatchObject({ samples: 3 });
      expect(r.friendsNextPages.samples).toBe(6);
      expect(r.everyoneFirstPage.p50Ms).toBeGreaterThan(0);
      expect(r.everyoneNextPages.p99Ms).toBeGreaterThanOrEqual(r.everyoneNextPages.p50Ms);
      expect(r.searchHit.samples).toBe(3);
      expect(r.searchMiss.p50Ms).toBeGreaterThan(0);
    }
  }, 180_000);
});
