import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { eventually } from '../../platform/broker/broker.contract.ts';
import { buildTestApp, testDialects, testNatsUrl } from '../../testing/app.ts';
import { connectDevice, type TestDevice } from '../../testing/devices.ts';
import { loginUser, mustCall, registerUser, staffUser } from '../../testing/factories.ts';
import { Subjects } from '../../gateway/subjects.ts';
import { HOUR_MS } from './stats.calendar.ts';

const INTERVAL = 100;
/** Node beats: a node silent for 3 of them is dropped, so not so short that a loaded CI drops a live one. */
const BEAT_MS = 250;
const natsUrl = testNatsUrl();

describe.each(testDialects())('online now across two nodes sharing NATS (%s)', (dialect) => {
  const apps: App[] = [];
  const devices: TestDevice[] = [];

  afterEach(async () => {
    for (const d of devices.splice(0)) d.ws.close();
    for (const app of apps.splice(0)) await app.close();
  });

  it.runIf(natsUrl !== undefined)(
    'sums live nodes from their beats, counts a user on two nodes once, samples the peak on one node, and forgets a node that goes or falls silent',
    async () => {
      const config = {
        gateway: { nodeHeartbeatMs: BEAT_MS },
        stats: { onlineIntervalMs: INTERVAL, flushIntervalMs: 600_000 },
      };
      const a = await buildTestApp({ dialect, nats: true, config });
      apps.push(a);
      const b = await buildTestApp({
        nats: true,
        databaseUrl: a.platform.config.databaseUrl,
        dataDir: a.platform.config.dataDir,
        config,
      });
      apps.push(b);
      const [portA, portB] = [await a.listen(), await b.listen()];
      const operator = await staffUser(a, 'operator');
      const [one, two, both] = [await registerUser(a), await registerUser(a), await registerUser(a)];
      devices.push(await connectDevice(portA, one), await connectDevice(portB, two));
      devices.push(await connectDevice(portA, both));
      devices.push(await connectDevice(portB, await loginUser(a, both.phone, both.password)));

      for (const app of [a, b])
        await eventually(() => {
          const online = app.services.stats.online();
          expect({ users: online.users, connections: online.connections }).toEqual({
            users: 3,
            connections: 4,
          });
          expect(online.nodes.map((n) => [n.users, n.connections]).sort()).toEqual([
            [2, 2],
            [2, 2],
          ]);
        });
      const overview = await mustCall(a, 'stats.overview', {}, operator.accessToken);
      expect(overview.online).toMatchObject({ users: 3, connections: 4 });

      // Exactly one node leads (the smaller id) and samples the hour's peak into the rollups.
      await eventually(() => expect([a.gateway.leads(), b.gateway.leads()].sort()).toEqual([false, true]));
      await eventually(async () => {
        await a.services.stats.flush();
        await b.services.stats.flush();
        const now = Date.now();
        const peaks = await mustCall(
          a,
          'stats.series',
          {
            metrics: 'peakOnlineUsers,peakOnlineConnections',
            from: now - HOUR_MS,
            to: now + 1,
            granularity: 'hour',
          },
          operator.accessToken,
        );
        // This pair's figures only: the test's nodes have a NATS subject prefix of their own, so
        // nodes of test files running beside it are not in this cluster.
        const [users = 0, connections = 0] = peaks.lines.map((l) => Math.max(...l.values));
        expect(users).toBe(3);
        expect(connections).toBe(4);
      });

      // A node that falls silent (no goodbye) is dropped after three missed beats.
      a.platform.broker.publish(Subjects.heartbeat, { nodeId: 'ghost', users: 0, connections: 9 });
      await eventually(() => expect(a.services.stats.online().connections).toBe(13));
      const seen = Date.now();
      await eventually(() => expect(a.services.stats.online().connections).toBe(4));
      expect(Date.now() - seen).toBeGreaterThanOrEqual(2 * BEAT_MS);

      // A node that closes takes its connections with it, and the one left leads.
      await b.close();
      apps.splice(apps.indexOf(b), 1);
      await eventually(() => {
        const online = a.services.stats.online();
        expect({ users: online.users, connections: online.connections, nodes: online.nodes.length }).toEqual({
          users: 2,
          connections: 2,
          nodes: 1,
        });
      });
      await eventually(() => expect(a.gateway.leads()).toBe(true));
    },
  );
});
