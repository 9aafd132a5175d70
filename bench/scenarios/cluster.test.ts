import { describe, expect, it } from 'vitest';
import { runClusterBench } from './cluster.ts';

describe('the cluster benchmark (smoke)', () => {
  it('measures same- and cross-node latency and loses no acked message across a node restart', async () => {
    const r = await runClusterBench({
      scenario: 'cluster',
      n: 16,
      duration: 4,
      flags: {
        target: 'pg',
        n: '16',
        rate: '16',
        groups: '1',
        'group-size': '6',
        'group-rate': '2',
        probes: '4',
        triads: '2',
        'probe-rate': '4',
        duration: '4',
        'restart-at': '2',
        'restart-duration': '8',
      },
    });
    expect(r.latency.sameNodeMs.count).toBeGreaterThan(0);
    expect(r.latency.crossNodeMs.count).toBeGreaterThan(0);
    // Every triad message both members got live is paired: far minus near, one figure per message.
    expect(r.latency.perMessageAddedMs.count).toBeGreaterThan(0);
    expect(r.latency.perMessageAddedMs.count).toBeLessThanOrEqual(r.latency.perMessageAddedMs.acked);
    expect(r.traffic.phase1.a.direct.lost).toBe(0);
    expect(r.traffic.phase1.b.group?.lost).toBe(0);
    expect(r.restart.probesReconnected).toBe(r.restart.probesOnNode);
    expect(r.loss.acked).toBeGreaterThan(20);
    expect(r.loss.lost).toBe(0);
  }, 900_000);
});
