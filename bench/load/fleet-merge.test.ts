import { describe, expect, it } from 'vitest';
import { Bitmap } from './bitmap.ts';
import { mergeTraffic } from './fleet-merge.ts';
import { Histogram } from './histogram.ts';
import type { AgentTrafficPart, TrafficPlan } from './types.ts';

function bits(...ns: number[]): string {
  const b = new Bitmap();
  for (const n of ns) b.set(n);
  return b.toBase64();
}

function part(p: Partial<AgentTrafficPart>): AgentTrafficPart {
  return {
    sent: 0,
    acked: 0,
    rejected: {},
    ackedBySender: {},
    receivedBy: {},
    outOfOrder: 0,
    duplicates: 0,
    delivered: 0,
    ackLatency: new Histogram().toData(),
    deliveryLatency: new Histogram().toData(),
    warmDeliveryLatency: new Histogram().toData(),
    deliveryWindows: [],
    sendWindowSec: 0,
    ...p,
  };
}

const plan: TrafficPlan = {
  name: 'group',
  senders: [
    { conn: 0, op: 'messages.send', templates: ['{}'], ratePerSec: 1, receivers: [1, 2] },
    { conn: 3, op: 'messages.send', templates: ['{}'], ratePerSec: 1, receivers: [0] },
  ],
  durationSec: 3,
};

describe('merging agents’ traffic parts', () => {
  it('finds a message one receiver in another agent missed, and one nobody got', () => {
    const ack = new Histogram();
    ack.record(5);
    const senders = part({
      sent: 5,
      acked: 4,
      rejected: { RATE_LIMITED: 1 },
      ackedBySender: { 0: bits(0, 1, 2), 3: bits(0) },
      receivedBy: { 0: { 3: bits(0) } },
      delivered: 1,
      ackLatency: ack.toData(),
      sendWindowSec: 2.5,
    });
    const receivers = part({
      receivedBy: { 1: { 0: bits(0, 1, 2) }, 2: { 0: bits(0, 2) } },
      delivered: 5,
      outOfOrder: 1,
      sendWindowSec: 2,
    });
    const r = mergeTraffic(plan, [senders, receivers]);
    expect(r).toMatchObject({
      name: 'group',
      sent: 5,
      acked: 4,
      rejected: { RATE_LIMITED: 1 },
      expectedDeliveries: 7,
      delivered: 6,
      lost: 1,
      outOfOrder: 1,
      sendRate: 2,
    });
    expect(r.ackLatency.count).toBe(1);
    const none = mergeTraffic(plan, [senders, part({})]);
    expect(none.lost).toBe(3);
  });

  it('adds the agents’ delivery windows up, keeping the slowest of each', () => {
    const r = mergeTraffic(plan, [
      part({ deliveryWindows: [{ count: 10, over100Ms: 1, maxMs: 120 }] }),
      part({
        deliveryWindows: [
          { count: 5, over100Ms: 2, maxMs: 300 },
          { count: 7, over100Ms: 0, maxMs: 40 },
        ],
      }),
    ]);
    expect(r.deliveryWindows).toEqual([
      { count: 15, over100Ms: 3, maxMs: 300 },
      { count: 7, over100Ms: 0, maxMs: 40 },
    ]);
  });

  it('joins one receiver’s bitmaps shipped by two agents (a receiver reconnected elsewhere)', () => {
    const r = mergeTraffic({ ...plan, senders: [plan.senders[1]!] }, [
      part({ ackedBySender: { 3: bits(0, 1) }, receivedBy: { 0: { 3: bits(0) } } }),
      part({ receivedBy: { 0: { 3: bits(1) } } }),
    ]);
    expect(r.lost).toBe(0);
  });
});
