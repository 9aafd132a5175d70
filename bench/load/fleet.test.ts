/**
 * The load generator against a real server: authenticated connections through two agents and two
 * source addresses, a wrong token refused, traffic in a direct chat without loss and in order,
 * half the connections reconnected with a sync request, and a clean close.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../packages/server/src/app.ts';
import { buildTestApp } from '../../packages/server/src/testing/app.ts';
import { mustCall, registerUser, type TestUser } from '../../packages/server/src/testing/factories.ts';
import { openFleet } from './fleet.ts';
import type { Credential, Fleet } from './types.ts';

const USERS = 24;

/** Established sockets to 127.0.0.1:port by local (source) address, from /proc/net/tcp. */
function clientSocketsBySource(port: number): Record<string, number> {
  const server = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const out: Record<string, number> = {};
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const [, local, remote, state] = line.trim().split(/\s+/);
    if (remote !== server || state !== '01' || !local) continue;
    const hex = local.split(':')[0]!;
    const ip = [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
    out[ip] = (out[ip] ?? 0) + 1;
  }
  return out;
}

describe('the load fleet', () => {
  let app: App;
  let port: number;
  let users: TestUser[];
  let fleet: Fleet | undefined;

  beforeAll(async () => {
    app = await buildTestApp();
    port = await app.listen();
    users = [];
    for (let i = 0; i < USERS; i++) users.push(await registerUser(app));
  });

  afterAll(async () => {
    await fleet?.close();
    await app?.close();
  });

  it('holds authenticated connections, carries traffic without loss, reconnects and closes', async () => {
    fleet = await openFleet({
      host: '127.0.0.1',
      port,
      agents: 2,
      sourceAddresses: ['127.0.0.2', '127.0.0.3'],
      heartbeatMs: 500,
      progress: false,
    });
    const creds: Credential[] = users.map((u) => ({ userId: u.userId, accessToken: u.accessToken }));
    const connected = await fleet.connect(creds, { ratePerSec: 200 });
    expect(connected.open).toBe(USERS);
    expect(connected.established).toBe(USERS);
    expect(connected.failures.authRejected).toBe(0);
    expect(connected.agents).toHaveLength(2);
    expect(connected.agents.map((a) => a.open)).toEqual([USERS / 2, USERS / 2]);
    expect(connected.connectLatency.count).toBe(USERS);
    // Both source addresses carry connections (the client ends of established sockets to the server).
    expect(clientSocketsBySource(port)).toEqual({ '127.0.0.2': USERS / 2, '127.0.0.3': USERS / 2 });

    // A forged token is refused at auth, not counted as open.
    const bad = await fleet.connect([{ userId: users[0]!.userId, accessToken: 'not-a-token' }], {
      ratePerSec: 10,
    });
    expect(bad.failures.authRejected).toBe(1);
    expect(bad.failures.samples.join('\n')).toMatch(/TOKEN_/);
    expect(bad.open).toBe(USERS);

    // More sockets than an agent may open are refused up front, with the limit named.
    const tooMany = Array.from({ length: 2 * 20_000 }, () => creds[0]!);
    await expect(fleet.connect(tooMany, { ratePerSec: 1 })).rejects.toThrow(/open-file limit/);
    expect((await fleet.stats()).attempted).toBe(USERS + 1);

    // Two seconds of heartbeats (500 ms) keep everyone up.
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await fleet.stats()).open).toBe(USERS);

    // users[0] (connection 0, agent 1) and users[23] (connection 23, agent 2) talk in a direct chat.
    const a = users[0]!;
    const b = users[USERS - 1]!;
    const convo = await mustCall(app, 'conversations.openDirect', { userId: b.userId }, a.accessToken);
    const template = (text: string) =>
      JSON.stringify({ conversationId: convo.id, clientId: '$CLIENT_ID', content: { kind: 'text', text } });
    const result = await fleet.traffic({
      name: 'direct',
      senders: [
        {
          conn: 0,
          op: 'messages.send',
          templates: [template('hello')],
          ratePerSec: 20,
          receivers: [USERS - 1],
        },
        {
          conn: USERS - 1,
          op: 'messages.send',
          templates: [template('hi'), template('yo')],
          ratePerSec: 10,
          receivers: [0],
        },
      ],
      durationSec: 2,
      drainSec: 1,
    });
    expect(result.sent).toBeGreaterThanOrEqual(55);
    expect(result.acked).toBe(result.sent);
    expect(result.rejected).toEqual({});
    expect(result.expectedDeliveries).toBe(result.acked);
    expect(result.delivered).toBe(result.expectedDeliveries);
    expect(result.lost).toBe(0);
    expect(result.outOfOrder).toBe(0);
    expect(result.duplicates).toBe(0);
    expect(result.deliveryLatency.count).toBe(result.delivered);
    expect(result.deliveryLatency.p50).toBeGreaterThan(0);
    expect(result.ackLatency.count).toBe(result.acked);
    const history = await mustCall(app, 'messages.history', { conversationId: convo.id }, a.accessToken);
    expect(history.messages.length).toBeGreaterThanOrEqual(Math.min(result.acked, 50));

    const re = await fleet.reconnect({
      count: USERS / 2,
      ratePerSec: 100,
      syncOp: 'conversations.list',
      syncBody: '{}',
    });
    expect(re.stats.open).toBe(USERS);
    expect(re.stats.established).toBe(USERS + USERS / 2);
    expect(re.stats.closedByUs).toBe(USERS / 2);
    expect(re.stats.failures.dropped).toBe(0);
    expect(re.firstAnswer.count).toBe(USERS / 2);
    expect(re.rate).toBeGreaterThan(0);

    await fleet.close();
    fleet = undefined;
  }, 60_000);
});
