import { describe, expect, it } from 'vitest';
import { runChannelPushBench } from './channel-push.ts';

describe('the channel-push benchmark (smoke)', () => {
  it('posts to every online subscriber twice and sees each post reach every probe', async () => {
    const result = await runChannelPushBench({
      scenario: 'channel-push',
      n: 60,
      duration: 2,
      flags: {
        n: '60',
        duration: '2',
        interval: '1',
        idle: '1',
        probes: '6',
        workers: '2',
        agents: '1',
        sources: '1',
        rate: '200',
        'allow-load': true,
      },
    });
    expect(result.online).toBe(60);
    expect(result.posts).toBe(2);
    for (const p of result.postsDetail) {
      // Stored once for every user (the 60 subscribers and the administrator who posts) when answered.
      expect(p.total).toBeGreaterThanOrEqual(60);
      expect(p.delivered).toBe(p.total);
      expect(p.probesReached).toBe(6);
      expect(p.storedMs).toBe(p.answerMs);
    }
    // Each post pushed to every online subscriber, once.
    expect(result.deliveriesExpected).toBe(120);
    expect(result.deliveries).toBe(120);
    expect(result.subscribersDropped).toBe(0);
    expect(result.openAtEnd).toBe(60);
    expect(result.lastDeliveryMsWorst).toBeGreaterThan(0);
    expect(result.deliveriesPerServerCpuSecond).toBeGreaterThan(0);
  }, 900_000);
});
