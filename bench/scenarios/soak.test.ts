import { describe, expect, it } from 'vitest';
import { runSoakBench } from './soak.ts';

describe('the soak benchmark (smoke)', () => {
  it('samples errors, memory and fds per window and survives a node restart', async () => {
    const r = await runSoakBench({
      scenario: 'soak',
      n: 16,
      duration: 12,
      flags: {
        target: 'pg',
        n: '16',
        rate: '16',
        groups: '1',
        'group-size': '6',
        'group-rate': '2',
        idle: '4',
        probes: '4',
        duration: '12',
        'sample-every': '4',
        'restart-at': '5',
      },
    });
    expect(r.users).toBe(26);
    expect(r.samples.length).toBeGreaterThanOrEqual(3);
    expect(r.samples.filter((s) => s.restartedB)).toHaveLength(1);
    for (const s of r.samples) {
      expect(s.a.processes.length).toBeGreaterThan(0);
      expect(s.a.fds).toBeGreaterThan(0);
    }
    expect(r.restart?.probesReconnected).toBe(r.restart?.probesOnNode);
    expect(r.loss.lost).toBe(0);
    expect(r.errorRate).toBe(0);
  }, 900_000);
});
