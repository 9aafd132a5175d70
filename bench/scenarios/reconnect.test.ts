import { describe, expect, it } from 'vitest';
import { runReconnectBench } from './reconnect.ts';

describe('the reconnect benchmark (smoke)', () => {
  it('drops and reconnects every client, each asking what changed, and finds what was sent meanwhile', async () => {
    const result = await runReconnectBench({
      scenario: 'reconnect',
      n: 80,
      duration: 0,
      flags: {
        n: '80',
        away: '8',
        workers: '2',
        agents: '2',
        sources: '2',
        rate: '200',
        'connect-rate': '200',
        'allow-load': true,
      },
    });
    expect(result.connectedBefore).toBe(80);
    expect(result.reconnected).toBe(80);
    expect(result.openAfter).toBe(80);
    // Every reconnected client's conversations.list was answered.
    expect(result.firstAnswerMs.count).toBe(80);
    expect(result.firstAnswerMs.p99).toBeGreaterThan(0);
    expect(result.failures).toMatchObject({ refused: 0, authRejected: 0, dropped: 0, other: 0 });
    expect(result.away).toEqual({ sent: 8, acked: 8, sendErrors: 0, fetched: 8, lost: 0, lostBy: {} });
    expect(result.connectsPerSecond).toBeGreaterThan(0);
    // The CPU split that tells a saturated machine from a slow server.
    expect(result.machineCores).toBeGreaterThan(0);
    expect(result.agentCores).toBeGreaterThanOrEqual(0);
  }, 900_000);
});
