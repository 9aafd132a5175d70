import { describe, expect, it } from 'vitest';
import { latencyVerdict, runSoakBench } from './soak.ts';

describe('the soak verdict on S3/S4 latency', () => {
  it('counts the windows over each bar, leaving out the restart window', () => {
    const v = latencyVerdict([
      { restartedB: false, s3P99Ms: 40, s4P99Ms: 90 },
      { restartedB: false, s3P99Ms: 120, s4P99Ms: 140 },
      { restartedB: true, s3P99Ms: 900, s4P99Ms: 900 },
      { restartedB: false, s3P99Ms: 60, s4P99Ms: 151 },
    ]);
    expect(v.windows).toBe(3);
    expect(v.s3).toEqual({ limitMs: 100, windowsOver: 1, medianWindowP99Ms: 60, worstWindowP99Ms: 120 });
    expect(v.s4).toEqual({ limitMs: 150, windowsOver: 1, medianWindowP99Ms: 140, worstWindowP99Ms: 151 });
    expect(v.met).toBe(false);
    expect(latencyVerdict([{ restartedB: false, s3P99Ms: 100, s4P99Ms: 150 }]).met).toBe(true);
  });
});

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
