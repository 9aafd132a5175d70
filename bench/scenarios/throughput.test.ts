import { describe, expect, it } from 'vitest';
import { runThroughputBench } from './throughput.ts';

describe('the throughput benchmark (smoke)', () => {
  it('sends the rich-media mix between paired senders with nothing lost and in order', async () => {
    const r = await runThroughputBench({
      scenario: 'throughput',
      n: 0,
      duration: 4,
      flags: {
        target: 'sqlite',
        senders: '20',
        rate: '20',
        duration: '4',
        'find-max': true,
        'step-duration': '2',
        'max-rate': '40',
      },
    });
    expect(r).toMatchObject({ scenario: 'throughput', target: 'sqlite', senders: 20, conversations: 10 });
    const m = r.result;
    expect(m.sent).toBeGreaterThanOrEqual(60);
    expect(m.acked).toBe(m.sent);
    expect(m.rejected).toEqual({});
    expect(m.delivered).toBe(m.acked);
    expect(m.lost).toBe(0);
    expect(m.outOfOrder).toBe(0);
    expect(m.deliveryMs.count).toBe(m.delivered);
    expect(m.deliveryMs.p99).toBeGreaterThan(0);
    expect(m.serverCpuCores).toBeGreaterThan(0);
    // The search is there whether or not this loaded machine held the rate.
    expect(r.findMax?.highestRate).toBe(
      m.passed ? Math.max(20, ...(r.findMax?.steps ?? []).filter((s) => s.passed).map((s) => s.rate)) : 0,
    );
  }, 600_000);
});
