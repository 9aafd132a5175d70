import { CloseCode, PROTOCOL_VERSION } from '@zhixin/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestNode, TestClient, tokenFor, uid, type TestNode } from './testing.ts';

let node: TestNode;
beforeEach(async () => {
  node = await startTestNode({ config: { gateway: { authTimeoutSeconds: 1 } } });
});
afterEach(async () => {
  await node.close();
});

describe('gateway authentication', () => {
  it('answers a valid auth frame with hello naming the user, session, node and heartbeat', async () => {
    const user = uid();
    const c = await TestClient.connect(node.url);
    const before = Date.now();
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(user, 'sess1') });
    const hello = await c.next((f) => f.type === 'hello');
    expect(hello).toMatchObject({
      v: PROTOCOL_VERSION,
      userId: user,
      sessionId: 'sess1',
      nodeId: node.gateway.nodeId,
      heartbeatMs: 25_000,
    });
    expect(hello.serverTime).toBeGreaterThanOrEqual(before);
    expect(node.gateway.isOnline(user)).toBe(true);
    c.close();
  });

  it('closes with auth_timeout when no auth frame arrives in time', async () => {
    const c = await TestClient.connect(node.url);
    const closed = await c.closed;
    expect(closed).toEqual({ code: CloseCode.auth_timeout, reason: 'auth_timeout' });
    expect(c.frames).toContainEqual({ type: 'bye', reason: 'auth_timeout' });
  });

  it('says bye client_too_old to an older protocol version', async () => {
    const c = await TestClient.connect(node.url);
    c.send({ type: 'auth', v: PROTOCOL_VERSION - 1, accessToken: tokenFor(uid()) });
    expect(await c.closed).toEqual({ code: CloseCode.client_too_old, reason: 'client_too_old' });
    expect(c.frames[0]).toMatchObject({
      type: 'error',
      error: { code: 'UNSUPPORTED_PROTOCOL', details: { serverVersion: PROTOCOL_VERSION } },
    });
    expect(c.frames[1]).toEqual({ type: 'bye', reason: 'client_too_old' });
  });

  it('refuses a newer protocol version without calling the client too old', async () => {
    const c = await TestClient.connect(node.url);
    c.send({ type: 'auth', v: PROTOCOL_VERSION + 1, accessToken: tokenFor(uid()) });
    expect((await c.closed).code).toBe(CloseCode.unauthenticated);
    expect(c.frames[0]).toMatchObject({ type: 'error', error: { code: 'UNSUPPORTED_PROTOCOL' } });
  });

  it.each([
    ['expired', 'TOKEN_EXPIRED'],
    ['revoked', 'SESSION_REVOKED'],
    ['garbage', 'TOKEN_INVALID'],
  ])('closes unauthenticated with the typed error for a %s token', async (token, code) => {
    const c = await TestClient.connect(node.url);
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: token });
    expect(await c.closed).toEqual({ code: CloseCode.unauthenticated, reason: 'unauthenticated' });
    expect(c.frames).toEqual([
      { type: 'error', error: expect.objectContaining({ code }) },
      { type: 'bye', reason: 'unauthenticated' },
    ]);
  });

  it('reports INTERNAL without details when the authenticator itself fails', async () => {
    const c = await TestClient.connect(node.url);
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: 'crash' });
    await c.closed;
    expect(c.frames[0]).toEqual({ type: 'error', error: { code: 'INTERNAL', message: 'Internal error' } });
  });

  it('answers requests before auth with UNAUTHENTICATED and keeps the connection for a proper auth', async () => {
    const c = await TestClient.connect(node.url);
    expect(await c.request('users.me', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    c.send('not json');
    expect(await c.next((f) => f.type === 'error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    c.send({ type: 'ping', t: 5 });
    expect(await c.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 5 });
    const user = uid();
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(user) });
    await c.next((f) => f.type === 'hello');
    expect(await c.request('users.me', {})).toMatchObject({ ok: true, body: { id: user } });
    c.close();
  });

  it('runs requests pipelined right behind auth once the token is verified', async () => {
    const user = uid();
    const c = await TestClient.connect(node.url);
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: `slow:${tokenFor(user)}` });
    c.send({ type: 'req', id: 'early', op: 'users.me', body: {} });
    const res = await c.next((f) => f.type === 'res');
    expect(res).toMatchObject({ id: 'early', ok: true, body: { id: user } });
    expect(c.frames.findIndex((f) => f.type === 'hello')).toBeLessThan(c.frames.indexOf(res));
    c.close();
  });

  it('refuses a second auth frame on an authenticated connection', async () => {
    const c = await TestClient.login(node.url, uid());
    c.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(uid()) });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({
      error: { code: 'BAD_REQUEST', details: { reason: 'already authenticated' } },
    });
    c.close();
  });

  it('counts open connections in the wsConnections gauge', async () => {
    const gauge = async () => (await node.platform.metrics.wsConnections.get()).values[0]?.value;
    const c = await TestClient.login(node.url, uid());
    expect(await gauge()).toBe(1);
    c.close();
    await c.closed;
    await new Promise((r) => setTimeout(r, 20));
    expect(await gauge()).toBe(0);
  });
});
