import { describe, expect, it } from 'vitest';
import { ProbeClient, ProbePair } from './cluster-probes.ts';

/** A probe client that answers sends itself, with the next seq of its conversation. */
class AnsweringClient extends ProbeClient {
  private seq = 40;
  override get connected(): boolean {
    return true;
  }
  override request(): Promise<unknown> {
    return Promise.resolve({ seq: ++this.seq });
  }
}

describe('probe pairs', () => {
  it("move the sender's cursor with each acked send, so a restart pulls only what came after", async () => {
    const sender = new AnsweringClient({ userId: 'u1', accessToken: 't1' }, 'c', 1);
    const pair = new ProbePair(
      0,
      'same-node',
      sender,
      new ProbeClient({ userId: 'u2', accessToken: 't2' }, 'c', 1),
    );
    pair.start(200);
    await new Promise((r) => setTimeout(r, 60));
    pair.stop();
    await new Promise((r) => setTimeout(r, 0));
    expect(pair.acked.size).toBeGreaterThan(0);
    expect(sender.lastSeq).toBe(40 + pair.acked.size);
  });
});
