import { describe, expect, it } from 'vitest';
import { runGroupFanoutBench } from './group-fanout.ts';

describe('the group fan-out benchmark (smoke)', () => {
  it('delivers every group message to every other member, beside direct traffic', async () => {
    const r = await runGroupFanoutBench({
      scenario: 'fanout',
      n: 0,
      duration: 4,
      flags: {
        target: 'sqlite',
        groups: '2',
        'group-size': '10',
        rate: '4',
        'senders-per-group': '2',
        duration: '4',
        'with-throughput': true,
        senders: '10',
        'direct-rate': '10',
      },
    });
    expect(r).toMatchObject({ scenario: 'fanout', groups: 2, groupSize: 10, online: 30 });
    expect(r.group.acked).toBe(r.group.sent);
    expect(r.group.sent).toBeGreaterThanOrEqual(12);
    expect(r.group.expectedDeliveries).toBe(r.group.acked * 9);
    expect(r.group.delivered).toBe(r.group.expectedDeliveries);
    expect(r.group.lost).toBe(0);
    expect(r.direct?.lost).toBe(0);
    expect(r.direct?.delivered).toBe(r.direct?.acked);
    expect(r.deliveriesPerServerCpuSecond).toBeGreaterThan(0);
  }, 600_000);
});
