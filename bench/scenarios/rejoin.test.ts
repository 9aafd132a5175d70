import { describe, expect, it } from 'vitest';
import { runRejoinBench } from './rejoin.ts';

describe('the rejoin benchmark (smoke)', () => {
  it('measures the presence repairs of a small cluster: only lost lists travel, once each', async () => {
    const result = await runRejoinBench({
      scenario: 'rejoin',
      n: 400,
      duration: 0,
      flags: { n: '400', workers: '4', runs: '1', heartbeat: '0.2', broker: 'memory', lost: '50' },
    });
    const events = result.events as Record<string, Record<string, number>>;
    for (const name of ['blip', 'lost', 'silent', 'stalled', 'restart', 'restart-traffic'])
      expect(events[name]).toMatchObject({ agreedRuns: 1, slowConsumerCuts: 0 });
    // Nothing lost, nothing sent: one node's link or every node's came back.
    expect(events.blip).toMatchObject({ snapshotsPublished: 0, requests: 1 });
    expect(events.restart).toMatchObject({ snapshotsPublished: 0, requests: 4 });
    // Nobody's deliveries were lost: no device is told to catch up.
    for (const name of ['blip', 'lost', 'silent', 'stalled', 'restart'])
      expect(events[name]).toMatchObject({ devicesToldToCatchUp: 0, nodesThatToldAll: 0 });
    // 50 deliveries lost while every link was down: their recipients, and only they, are told.
    const lossy = events['restart-traffic']!;
    expect(lossy.usersWithLostDeliveries).toBeGreaterThan(40);
    expect(lossy).toMatchObject({ devicesToldToCatchUp: lossy.usersWithLostDeliveries, nodesThatToldAll: 0 });
    // One list was stale: one list travels.
    expect(events.lost).toMatchObject({ snapshotsPublished: 1 });
    // Three nodes dropped the node that went silent: it answers them with one publish.
    expect(events.silent).toMatchObject({ snapshotsPublished: 1, requests: 4 });
    // It had dropped them too: their three lists, and its own once.
    expect(events.stalled).toMatchObject({ snapshotsPublished: 4 });
  });
});
