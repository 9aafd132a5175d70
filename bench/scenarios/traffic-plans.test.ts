import { describe, expect, it } from 'vitest';
import type { MediaSet } from '../lib/media-files.ts';
import { clusterLayout, clusterPairs, groupPlanForSide, planForSide, sideOf } from './cluster-setup.ts';
import { directPlan, groupPlan, MAX_TEMPLATE_BYTES, rateSteps, richTemplates } from './traffic-plans.ts';

const media: MediaSet = {
  image: { kind: 'image', fileId: '01JIMAGE', mime: 'image/jpeg', size: 9000, width: 640, height: 480 },
  file: { kind: 'file', fileId: '01JFILE', name: '季度报告.pdf', mime: 'application/pdf', size: 65_545 },
  voice: { kind: 'voice', fileId: '01JVOICE', mime: 'audio/ogg', size: 6000, durationMs: 3000 },
  video: {
    kind: 'video',
    fileId: '01JVIDEO',
    mime: 'video/mp4',
    size: 20_000,
    durationMs: 1000,
    width: 320,
    height: 240,
  },
};

describe('the issue 9 traffic plans', () => {
  it('sends the rich mix in turn, each body small and with the client id placeholder', () => {
    const t = richTemplates('conv1', media);
    expect(t.map((b) => (JSON.parse(b) as { content: { kind: string } }).content.kind)).toEqual([
      'text',
      'image',
      'file',
      'voice',
      'video',
    ]);
    for (const b of t) {
      expect(Buffer.byteLength(b)).toBeLessThanOrEqual(MAX_TEMPLATE_BYTES);
      expect(JSON.parse(b)).toMatchObject({ conversationId: 'conv1', clientId: '$CLIENT_ID' });
    }
  });

  it('splits the direct rate over both ends of every pair, each receiving from the other', () => {
    const plan = directPlan({
      name: 's3',
      pairs: [
        { a: 0, b: 1, conversationId: 'c0' },
        { a: 2, b: 3, conversationId: 'c1' },
      ],
      mediaOf: () => media,
      rate: 40,
      durationSec: 5,
    });
    expect(plan.senders.map((s) => [s.conn, s.receivers])).toEqual([
      [0, [1]],
      [1, [0]],
      [2, [3]],
      [3, [2]],
    ]);
    expect(plan.senders.reduce((sum, s) => sum + s.ratePerSec, 0)).toBeCloseTo(40);
  });

  it('sends group messages from the first members to every other member at the total rate', () => {
    const plan = groupPlan({
      name: 's4',
      groups: [
        { conversationId: 'g0', members: [0, 1, 2, 3] },
        { conversationId: 'g1', members: [4, 5, 6, 7] },
      ],
      sendersPerGroup: 2,
      rate: 10,
      durationSec: 5,
    });
    expect(plan.senders.map((s) => s.conn)).toEqual([0, 1, 4, 5]);
    expect(plan.senders[0]?.receivers).toEqual([1, 2, 3]);
    expect(plan.senders.reduce((sum, s) => sum + s.ratePerSec, 0)).toBeCloseTo(10);
  });

  it('steps rates up by the factor to the ceiling', () => {
    expect(rateSteps(1600, 1.25, 4000)).toEqual([1600, 2000, 2500, 3125, 3906]);
    expect(() => rateSteps(100, 1, 200)).toThrow();
  });
});

describe('the cluster layout', () => {
  it('crosses half of the pairs between the node groups', () => {
    const pairs = clusterPairs(16);
    const onA = (u: number) => u < 8;
    expect(pairs).toHaveLength(8);
    expect(pairs.filter(([x, y]) => onA(x) !== onA(y))).toHaveLength(4);
    expect(new Set(pairs.flat()).size).toBe(16);
  });

  it('gives each side its own senders and receivers, the other side sending its own share', () => {
    const pairs = clusterPairs(16).map(([a, b], k) => ({ a, b, conversationId: `c${k}` }));
    const layout = clusterLayout({ n: 16, groups: 1, groupSize: 6, idle: 4 });
    expect(layout.users).toBe(26);
    expect(layout.membersA).toEqual([16, 18, 20, 22, 23]);
    expect(layout.membersB).toEqual([17, 19, 21, 24, 25]);
    const a = planForSide(pairs, sideOf(layout.directA), 32, 5);
    const b = planForSide(pairs, sideOf(layout.directB), 32, 5);
    expect(a.senders).toHaveLength(8);
    expect(b.senders).toHaveLength(8);
    // A cross pair's receiver is in the other fleet: this side does not count it.
    expect(a.senders.filter((s) => s.receivers.length === 0)).toHaveLength(4);
    expect([...a.senders, ...b.senders].reduce((sum, s) => sum + s.ratePerSec, 0)).toBeCloseTo(32);
    const groups = [{ conversationId: 'g', members: layout.groupOrder }];
    const ga = groupPlanForSide(groups, sideOf(layout.membersA), 10, 4, 5);
    expect(ga.senders.map((s) => s.conn)).toEqual([0, 1]);
    expect(ga.senders[0]?.receivers).toEqual([1, 2]);
    expect(ga.senders.reduce((sum, s) => sum + s.ratePerSec, 0)).toBeCloseTo(5);
  });
});
