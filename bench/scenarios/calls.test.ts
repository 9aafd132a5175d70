import { describe, expect, it } from 'vitest';
import { runCallsBench } from './calls.ts';

describe('the calls benchmark (smoke)', () => {
  it('drives complete calls between pairs over the real WS protocol without errors', async () => {
    const { runs } = await runCallsBench({
      scenario: 'calls',
      n: 8,
      duration: 3,
      flags: { n: '8', rate: '20' },
    });
    const [run] = runs;
    expect(run).toMatchObject({ people: 8, pairs: 4, errors: 0 });
    expect(run).toMatchObject({
      callsStarted: 4,
      callsAnswered: 4,
      concurrentCallsHeld: 4,
      callsCompleted: 4,
    });
    expect(run!.setupP50Ms).toBeGreaterThan(0);
    expect(run!.hangupP50Ms).toBeGreaterThan(0);
    expect(run!.signalP50Ms).toBeGreaterThan(0);
  }, 120_000);
});
