import { describe, expect, it } from 'vitest';
import { runEncryptionBench } from './encryption.ts';

describe('the encryption-cost benchmark (smoke)', () => {
  it('runs the messages load with encryption at rest on and off, checks what each stored, and compares ceilings and latencies', async () => {
    const result = await runEncryptionBench({
      scenario: 'encryption',
      n: 4,
      duration: 1,
      flags: { runs: '1', rate: '20', 'group-size': '2', target: 'sqlite' },
    });
    expect(result.pairs).toBe(1);
    expect(result.before.loadAverage).toHaveLength(3);
    const [sqlite] = result.results;
    expect(sqlite?.target).toBe('sqlite');
    const pair = sqlite?.runs[0];
    for (const setting of ['on', 'off'] as const) {
      expect(pair?.closed[setting].persistedPerSecond).toBeGreaterThan(0);
      expect(pair?.closed[setting].errors).toBe(0);
    }
    expect(sqlite?.throughput.medianRatio).toBeCloseTo(
      (pair?.closed.on.persistedPerSecond ?? 0) / (pair?.closed.off.persistedPerSecond ?? 1),
      2,
    );
    // Server CPU per message comes from /proc (CI runs on Linux).
    expect(sqlite?.cpu?.usPerMessageOn).toBeGreaterThanOrEqual(0);
    expect(sqlite?.cpu?.ratios).toHaveLength(1);
    expect(pair?.paced?.on.mode).toBe('paced 20/s');
    expect(pair?.paced?.off.ackP50Ms).toBeGreaterThan(0);
    expect(sqlite?.latency?.on.ackP99Ms).toBeGreaterThanOrEqual(sqlite?.latency?.on.ackP50Ms ?? 0);
  }, 240_000);
});
