import { describe, expect, it } from 'vitest';
import { ProbeClient } from './cluster-probes.ts';
import { ProbeTriad, probeTriads, triadLatency } from './cluster-triads.ts';
import type { Credential } from '../load/types.ts';

const cred = (i: number): Credential => ({ userId: `u${i}`, accessToken: `t${i}` });

describe('probe triads', () => {
  it('alternate the sending node group and put the far member on the other one', () => {
    const triads = probeTriads(
      Array.from({ length: 6 }, (_, i) => cred(i)),
      ['g1', 'g2'],
      { a: 1001, b: 1002 },
    );
    expect(triads.map((t) => t.clients().map((c) => c.port))).toEqual([
      [1001, 1001, 1002],
      [1002, 1002, 1001],
    ]);
    expect(triads[1]?.far.cred.userId).toBe('u5');
    expect(triads.every((t) => t.clients().every((c) => c.conversationId === t.far.conversationId))).toBe(
      true,
    );
  });

  it('pair arrivals per message: far minus near, only for messages both members got', () => {
    const [sender, near, far] = [0, 1, 2].map((i) => new ProbeClient(cred(i), 'g', 1));
    const t = new ProbeTriad(0, sender as ProbeClient, near as ProbeClient, far as ProbeClient);
    near?.arrivals.set('m1', 1000).set('m2', 2000).set('m3', 3000);
    far?.arrivals.set('m1', 1000.5).set('m2', 2004).set('m4', 9999);
    expect(t.addedMs().sort((x, y) => x - y)).toEqual([0.5, 4]);
    const l = triadLatency([t]);
    expect(l.count).toBe(2);
    expect(l.max).toBe(4);
    expect(l.min).toBe(0.5);
    expect(l.p1).toBe(0.5);
    expect(triadLatency([]).min).toBe(0);
  });
});
