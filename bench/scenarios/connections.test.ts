import { describe, expect, it } from 'vitest';
import { plannedLimits, runConnectionsBench } from './connections.ts';

describe('the connections benchmark (smoke)', () => {
  it('names the per-process file, worker and port limits a plan runs into before it starts', () => {
    expect(plannedLimits(600_000, 32, 32, 22)).toEqual([]);
    const kinds = plannedLimits(600_000, 16, 8, 10).map((l) => l.kind);
    expect(kinds).toEqual(['agentFiles', 'serverFiles', 'ports']);
    expect(plannedLimits(600_000, 16, 32, 22)[0]?.detail).toContain('--workers 31');
  });

  it('ramps minted logins onto two workers, holds them and reports memory, CPU and latency', async () => {
    const result = await runConnectionsBench({
      scenario: 'connections',
      n: 120,
      duration: 3,
      flags: {
        n: '120',
        duration: '3',
        workers: '2',
        agents: '2',
        sources: '2',
        rate: '200',
        'allow-load': true,
      },
    });
    expect(result.openAfterRamp).toBe(120);
    expect(result.openAtEnd).toBe(120);
    expect(result.stillUpPercent).toBe(100);
    expect(result.stoppedBy).toBeNull();
    expect(result.failures).toMatchObject({ refused: 0, authRejected: 0, dropped: 0, other: 0 });
    expect(result.connectLatencyMs.count).toBe(120);
    expect(result.connectLatencyMs.p99).toBeGreaterThanOrEqual(result.connectLatencyMs.p50);
    // Two workers and the primary: a real process tree, each with at least a socket per connection share.
    expect(result.server.fds).toBeGreaterThan(120);
    expect(result.server.rssMiB).toBeGreaterThan(result.server.kernelSocketMiB);
    expect(result.server.kibPerConnectionAllIn).toBeGreaterThan(0);
    expect(result.samples.length).toBeGreaterThanOrEqual(1);
    // Nothing was lost in a quiet hold: no device was told to catch up.
    expect(result.syncHintsInHold).toBe(0);
    expect(result.natsOutage).toBeNull();
  }, 900_000);

  it('refuses a NATS outage when the workers do not talk over NATS', async () => {
    await expect(
      runConnectionsBench({
        scenario: 'connections',
        n: 10,
        duration: 1,
        flags: { n: '10', 'nats-outage': '5', 'allow-load': true },
      }),
    ).rejects.toThrow(/--broker nats/);
  });
});
