import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZhixinError } from '../errors.ts';
import { FakeError, FakeServer } from '../testing/fake-server.ts';
import { waitFor } from '../testing/fixtures.ts';
import { webSocketUrl } from '../rest/request.ts';
import { RealtimeConnection, type ConnectionState, type RealtimeOptions } from './connection.ts';
import { ExponentialBackoffPolicy } from './reconnect-policy.ts';

let server: FakeServer;
let baseUrl: string;
const connections: RealtimeConnection[] = [];

beforeEach(async () => {
  server = new FakeServer();
  baseUrl = await server.start();
});

afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await server.stop();
});

function connection(overrides: Partial<RealtimeOptions> = {}) {
  let token = server.issueSession('s1').tokens.accessToken;
  let refreshes = 0;
  const states: ConnectionState[] = [];
  const lost: ZhixinError[] = [];
  const rt = new RealtimeConnection({
    url: webSocketUrl(baseUrl),
    WebSocket,
    reconnectPolicy: new ExponentialBackoffPolicy({ baseMs: 20, maxMs: 50 }),
    requestTimeoutMs: 2000,
    auth: {
      accessToken: async () => token,
      refresh: async () => {
        refreshes++;
        token = server.issueSession('s1').tokens.accessToken;
      },
    },
    ...overrides,
  });
  connections.push(rt);
  rt.on('state', (s) => states.push(s.state));
  rt.on('auth.lost', (e) => lost.push(e));
  return {
    rt,
    states,
    lost,
    refreshes: () => refreshes,
    token: () => token,
    setToken: (t: string) => (token = t),
  };
}

describe('RealtimeConnection', () => {
  it('authenticates with the protocol version and resolves with hello', async () => {
    const { rt, states } = connection();
    const hello = await rt.connect();
    expect(hello).toMatchObject({ type: 'hello', v: 1, userId: 'u_me', sessionId: 's1', nodeId: 'fake' });
    expect(rt.state).toBe('connected');
    expect(states).toEqual(['connecting', 'connected']);
    expect(Math.abs((rt.serverNow() as number) - Date.now())).toBeLessThan(1000);
    await expect(rt.connect()).resolves.toBe(hello);
  });

  it('matches responses to requests by id, whatever their order', async () => {
    const { rt } = connection();
    server.handlers.set('users.me', () => new Promise((r) => setTimeout(() => r({ id: 'slow' }), 80)));
    server.handlers.set('users.lookupByPhone', () => ({ id: 'fast' }));
    await rt.connect();
    const order: string[] = [];
    const slow = rt.request('users.me', {}).then((b) => (order.push('slow'), b));
    const fast = rt
      .request('users.lookupByPhone', { phone: '13800138000' })
      .then((b) => (order.push('fast'), b));
    expect(await slow).toEqual({ id: 'slow' });
    expect(await fast).toEqual({ id: 'fast' });
    expect(order).toEqual(['fast', 'slow']);
  });

  it('turns an error response into a ZhixinError with the catalog status', async () => {
    const { rt } = connection();
    server.handlers.set('conversations.get', () => {
      throw new FakeError('NOT_MEMBER');
    });
    await rt.connect();
    await expect(rt.request('conversations.get', { conversationId: 'c1' })).rejects.toMatchObject({
      code: 'NOT_MEMBER',
      status: 403,
    });
  });

  it('times a request out when no response comes, and keeps working', async () => {
    const { rt } = connection({ requestTimeoutMs: 100 });
    server.silentOps.add('users.lookupByPhone');
    await rt.connect();
    const started = Date.now();
    await expect(rt.request('users.lookupByPhone', { phone: '13800138000' })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    await expect(rt.request('users.me', {})).resolves.toMatchObject({ id: 'u_me' });
  });

  it('refuses requests while not connected', async () => {
    const { rt } = connection();
    await expect(rt.request('users.me', {})).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('reconnects after the server drops the socket, failing what was in flight', async () => {
    const { rt, states } = connection();
    server.silentOps.add('users.lookupByPhone');
    const hellos: string[] = [];
    rt.on('hello', (h) => hellos.push(h.sessionId));
    await rt.connect();
    const inFlight = rt.request('users.lookupByPhone', { phone: '13800138000' });
    server.dropAll();
    await expect(inFlight).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await waitFor(() => hellos.length === 2, 3000, 'second hello');
    expect(rt.state).toBe('connected');
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    await expect(rt.request('users.me', {})).resolves.toMatchObject({ id: 'u_me' });
  });

  it('keeps trying with backoff while the server is away, reporting each attempt', async () => {
    const { rt } = connection();
    const attempts: number[] = [];
    rt.on('state', (s) => s.state === 'reconnecting' && attempts.push(s.attempt as number));
    await rt.connect();
    // The next two connections are cut before they can authenticate.
    let refusals = 2;
    const original = server.wss.listeners('connection');
    server.wss.removeAllListeners('connection');
    server.wss.on('connection', (socket, req) => {
      if (refusals-- > 0) return socket.terminate();
      for (const l of original) (l as (...a: unknown[]) => void).call(server.wss, socket, req);
    });
    server.dropAll();
    await waitFor(() => rt.state === 'connected' && attempts.length === 3, 3000, 'reconnect after refusals');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('pings every heartbeat and reconnects when pongs stop', async () => {
    server.heartbeatMs = 40;
    const { rt, states } = connection();
    await rt.connect();
    await waitFor(() => server.pings >= 2, 2000, 'pings');
    expect(rt.state).toBe('connected');
    server.answerPings = false;
    await waitFor(() => states.includes('reconnecting'), 2000, 'heartbeat timeout');
    server.answerPings = true;
    await waitFor(() => rt.state === 'connected', 2000, 'reconnected');
    expect(server.authAttempts).toBe(2);
  });

  it('asks the server to drive the heartbeat, answers its pings without pinging, and reconnects when they stop', async () => {
    server.heartbeatMs = 40;
    server.drivesHeartbeat = true;
    const { rt, states } = connection();
    const hello = await rt.connect();
    expect(hello.heartbeat).toBe('server');
    await waitFor(() => server.pongs >= 4, 2000, 'pongs');
    expect(server.pings).toBe(0);
    expect(rt.state).toBe('connected');
    // A server that falls silent (a half-open link): dead after two beats and a grace.
    server.sendPings = false;
    await waitFor(() => states.includes('reconnecting'), 2000, 'heartbeat timeout');
    server.sendPings = true;
    await waitFor(() => rt.state === 'connected', 2000, 'reconnected');
    expect(server.askedHeartbeat).toEqual(['server', 'server']);
    expect(server.pings).toBe(0);
  });

  it('pings itself when the server does not offer to drive the heartbeat', async () => {
    server.heartbeatMs = 40;
    const { rt } = connection();
    const hello = await rt.connect();
    expect(hello.heartbeat).toBeUndefined();
    await waitFor(() => server.pings >= 2, 2000, 'pings');
    expect(server.askedHeartbeat).toEqual(['server']);
  });

  it('stops for good when the session is revoked', async () => {
    const { rt, states, lost } = connection();
    await rt.connect();
    server.byeAll('session_revoked');
    await waitFor(() => rt.state === 'disconnected', 2000, 'disconnected');
    expect(lost.map((e) => e.code)).toEqual(['SESSION_REVOKED']);
    await new Promise((r) => setTimeout(r, 150));
    expect(server.authAttempts).toBe(1);
    expect(states).toEqual(['connecting', 'connected', 'disconnected']);
  });

  it('refreshes an expired token and connects, once', async () => {
    const { rt, refreshes, token, lost } = connection();
    server.expiredTokens.add(token());
    await expect(rt.connect()).resolves.toMatchObject({ type: 'hello' });
    expect(refreshes()).toBe(1);
    expect(server.authAttempts).toBe(2);
    expect(lost).toEqual([]);
  });

  it('tries the refresh again on the next attempt when it failed for lack of network', async () => {
    // Regression: a refresh that failed offline used to count as "the" refresh, so the next refusal lost the session.
    let failNext = true;
    const ctx = connection();
    const rt = new RealtimeConnection({
      url: webSocketUrl(baseUrl),
      WebSocket,
      reconnectPolicy: new ExponentialBackoffPolicy({ baseMs: 10, maxMs: 20 }),
      auth: {
        accessToken: async () => ctx.token(),
        refresh: async () => {
          if (failNext) {
            failNext = false;
            throw ZhixinError.network(new Error('offline'));
          }
          ctx.setToken(server.issueSession('s1').tokens.accessToken);
        },
      },
    });
    connections.push(rt);
    const lost: ZhixinError[] = [];
    rt.on('auth.lost', (e) => lost.push(e));
    await rt.connect();
    server.expiredTokens.add(ctx.token());
    server.dropAll();
    await waitFor(() => server.authAttempts === 4 && rt.state === 'connected', 3000, 'reconnected');
    expect(lost).toEqual([]);
  });

  it('refreshes ahead when the token is known to be expired', async () => {
    let expired = true;
    const ctx = connection();
    const rt = new RealtimeConnection({
      url: webSocketUrl(baseUrl),
      WebSocket,
      auth: {
        accessToken: async () => ctx.token(),
        isExpired: () => expired,
        refresh: async () => {
          expired = false;
          ctx.setToken(server.issueSession('s1').tokens.accessToken);
        },
      },
    });
    connections.push(rt);
    server.expiredTokens.add(ctx.token());
    await rt.connect();
    expect(server.authAttempts).toBe(1);
  });

  it('loses the session when the token is still refused after a refresh', async () => {
    const { rt, lost } = connection({
      auth: { accessToken: async () => 'not-a-token', refresh: async () => {} },
    });
    await expect(rt.connect()).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    expect(lost.map((e) => e.code)).toEqual(['TOKEN_INVALID']);
    expect(server.authAttempts).toBe(2);
    expect(rt.state).toBe('disconnected');
  });

  it('fails the first connect fast when the server cannot be reached', async () => {
    await server.stop();
    const { rt, states } = connection();
    await expect(rt.connect()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(states).toEqual(['connecting', 'disconnected']);
    server = new FakeServer();
    baseUrl = await server.start();
  });

  it('gives up when the server says the client is too old', async () => {
    const { rt } = connection();
    await rt.connect();
    server.byeAll('client_too_old');
    await waitFor(() => rt.state === 'disconnected', 2000, 'disconnected');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.authAttempts).toBe(1);
  });

  it('stops reconnecting after close(), failing pending requests', async () => {
    const { rt, states } = connection();
    server.silentOps.add('users.me');
    await rt.connect();
    const pending = rt.request('users.me', {});
    rt.close();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await new Promise((r) => setTimeout(r, 100));
    expect(states).toEqual(['connecting', 'connected', 'disconnected']);
    expect(server.authAttempts).toBe(1);
  });
});

describe('RealtimeConnection.request', () => {
  it('refuses operations that are REST-only without sending them', async () => {
    const { rt } = connection();
    await rt.connect();
    await expect(rt.request('auth.logout', {})).rejects.toMatchObject({ code: 'UNKNOWN_OP' });
    expect(server.count('auth.logout')).toBe(0);
  });
});
