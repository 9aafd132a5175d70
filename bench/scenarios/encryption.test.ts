import { describe, expect, it } from 'vitest';
import { runEncryptionBench, splitOrder } from './encryption.ts';

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
    // The warm-up run is measured and stored as "on", and left out of every figure above.
    expect(sqlite?.warmup.closed.persistedPerSecond).toBeGreaterThan(0);
    expect(sqlite?.warmup.closed.errors).toBe(0);
    expect(pair?.order).toEqual(['on', 'off']);
    // Server CPU per message comes from /proc (CI runs on Linux), each run's figure listed.
    expect(sqlite?.cpu?.usPerMessageOn).toBeGreaterThanOrEqual(0);
    expect(sqlite?.cpu?.ratios).toHaveLength(1);
    expect(sqlite?.cpu?.perRunUsOn).toEqual([pair?.closed.on.serverCpuUsPerMessage]);
    expect(sqlite?.cpu?.perRunUsOff).toEqual([pair?.closed.off.serverCpuUsPerMessage]);
    // One pair has run in one order only: the cost cannot be told from the order yet.
    expect(sqlite?.throughput.cost).toBeNull();
    // The send path in one process: ten alternating pairs of blocks, both orders, so a cost too.
    const { sendPath } = result;
    expect(sendPath.usPerSend.on).toHaveLength(10);
    expect(sendPath.usPerSend.off).toHaveLength(10);
    expect(Math.min(...sendPath.usPerSend.on, ...sendPath.usPerSend.off)).toBeGreaterThan(0);
    expect(sendPath.ratios).toHaveLength(10);
    expect(sendPath.cost).toBeGreaterThan(0);
    expect(pair?.paced?.on.mode).toBe('paced 20/s');
    expect(pair?.paced?.off.ackP50Ms).toBeGreaterThan(0);
    expect(sqlite?.latency?.on.ackP99Ms).toBeGreaterThanOrEqual(sqlite?.latency?.on.ackP50Ms ?? 0);
    // A warm-up run, a pair (two servers, each seeded with uploads) and the in-process blocks: minutes
    // on a loaded machine.
  }, 480_000);
});

describe('telling the cost of encryption from the order of the runs', () => {
  it("finds the cost and the second run's gain from pairs run in both orders", () => {
    // Encryption costs 10% (c = 0.9) and the second run of a pair is 20% faster (p = 1.2):
    // on first 0.9/1.2 = 0.75, off first 0.9·1.2 = 1.08.
    expect(splitOrder([0.75, 1.08, 0.75], [true, false, true])).toEqual({ cost: 0.9, secondRunFactor: 1.2 });
    // Without an order effect the cost is the ratio itself.
    expect(splitOrder([0.95, 0.95], [true, false])).toEqual({ cost: 0.95, secondRunFactor: 1 });
    expect(splitOrder([0.75, 0.8], [true, true])).toEqual({ cost: null, secondRunFactor: null });
  });
});
