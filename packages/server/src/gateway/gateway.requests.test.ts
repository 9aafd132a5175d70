import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestNode, TestClient, uid, type TestNode } from './testing.ts';

let node: TestNode;
let c: TestClient;
beforeEach(async () => {
  node = await startTestNode({ config: { gateway: { maxRequestsPerSecond: 50 } } });
  c = await TestClient.login(node.url, uid());
});
afterEach(async () => {
  c.close();
  await node.close();
});

describe('gateway requests', () => {
  it('answers each request with its own id, even when answers come back out of order', async () => {
    c.send({ type: 'req', id: 'slow', op: 'conversations.get', body: { conversationId: 'slow80' } });
    c.send({ type: 'req', id: 'fast', op: 'conversations.get', body: { conversationId: 'fast' } });
    const slow = await c.next((f) => f.type === 'res' && f.id === 'slow');
    expect(slow).toEqual({ type: 'res', id: 'slow', ok: true, body: { id: 'slow80' } });
    const fast = c.frames.find((f) => f.id === 'fast');
    expect(fast).toEqual({ type: 'res', id: 'fast', ok: true, body: { id: 'fast' } });
    expect(c.frames.indexOf(fast!)).toBeLessThan(c.frames.indexOf(slow));
  });

  it("runs one connection's sends in arrival order, other ops beside them", async () => {
    const send = (id: string, conversationId: string) =>
      c.send({
        type: 'req',
        id,
        op: 'messages.send',
        body: { conversationId, clientId: `client-${id}`, content: { kind: 'text', text: id } },
      });
    send('first', 'slow80');
    send('second', 'fast');
    c.send({ type: 'req', id: 'other', op: 'conversations.get', body: { conversationId: 'fast' } });
    const second = await c.next((f) => f.type === 'res' && f.id === 'second');
    const order = c.frames.filter((f) => f.type === 'res').map((f) => f.id);
    // The second send waited for the first; the unrelated read did not wait for either.
    expect(order).toEqual(['other', 'first', 'second']);
    expect(second).toMatchObject({ ok: true, body: { clientId: 'client-second' } });
  });

  it('passes the principal and client address to the handler', async () => {
    const res = await c.request('users.me', {});
    expect(res).toMatchObject({ ok: true, body: { ip: '127.0.0.1' } });
  });

  it('answers an AppError with its code and message', async () => {
    const res = await c.request('conversations.get', { conversationId: 'missing' });
    expect(res).toEqual({
      type: 'res',
      id: res.id,
      ok: false,
      error: { code: 'NOT_FOUND', message: 'conversation not found', details: { what: 'conversation' } },
    });
  });

  it('answers an unexpected failure with INTERNAL and nothing of the cause', async () => {
    const res = await c.request('conversations.get', { conversationId: 'boom' });
    expect(res).toEqual({
      type: 'res',
      id: res.id,
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal error' },
    });
    expect(JSON.stringify(res)).not.toContain('secret');
  });

  it('validates the body against the operation schema', async () => {
    const res = await c.request('conversations.get', { conversationId: 7 });
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: '/conversationId' })] },
    });
  });

  it.each([
    ['an operation that does not exist', 'nope.nothing'],
    ['a prototype key', 'constructor'],
    ['a REST-only operation, even when registered', 'auth.sendSmsCode'],
    ['a WebSocket operation no module registered', 'messages.edit'],
  ])('answers UNKNOWN_OP for %s', async (_what, op) => {
    const res = await c.request(op, {});
    expect(res).toMatchObject({ ok: false, error: { code: 'UNKNOWN_OP', details: { op } } });
  });

  it('answers malformed JSON with BAD_REQUEST and keeps the connection', async () => {
    c.send('{"type":"req",');
    expect(await c.next((f) => f.type === 'error')).toEqual({
      type: 'error',
      error: { code: 'BAD_REQUEST', message: expect.any(String), details: { reason: 'frame is not JSON' } },
    });
    expect(await c.request('users.me', {})).toMatchObject({ ok: true });
  });

  it('answers a binary frame with BAD_REQUEST and keeps the connection', async () => {
    c.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    expect(await c.next((f) => f.type === 'error')).toMatchObject({
      error: { code: 'BAD_REQUEST', details: { reason: 'binary frames are not supported' } },
    });
    expect(await c.request('users.me', {})).toMatchObject({ ok: true });
  });

  it.each([
    ['a JSON array', [1, 2]],
    ['a JSON string', 'hello'],
    ['null', null],
    ['an unknown type', { type: 'subscribe' }],
    ['a request without op', { type: 'req', id: 'x', body: {} }],
    ['a ping with a string time', { type: 'ping', t: 'now' }],
  ])('answers %s with VALIDATION_FAILED', async (_what, frame) => {
    c.send(JSON.stringify(frame));
    expect(await c.next((f) => f.type === 'error' || f.type === 'res')).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('answers a malformed request that has a usable id on that id', async () => {
    c.send({ type: 'req', id: 'bad1', op: '', body: {} });
    expect(await c.next((f) => f.type === 'res')).toMatchObject({
      id: 'bad1',
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('answers an application ping with a pong carrying its time', async () => {
    c.send({ type: 'ping', t: 1234 });
    expect(await c.next((f) => f.type === 'pong')).toEqual({ type: 'pong', t: 1234 });
  });

  it('answers protocol pings within the same rate: a ping flood gets no pong past it', async () => {
    let pongs = 0;
    c.ws.on('pong', () => pongs++);
    for (let i = 0; i < 80; i++) c.ws.ping();
    await new Promise((r) => setTimeout(r, 300));
    // The bucket holds one second's worth (50), less the auth frame.
    expect(pongs).toBeGreaterThanOrEqual(45);
    expect(pongs).toBeLessThan(60);
  });

  it('limits the request rate of one connection, with a retry hint, without affecting others', async () => {
    const other = await TestClient.login(node.url, uid());
    const sent = 200;
    const start = performance.now();
    for (let i = 0; i < sent; i++) c.send({ type: 'req', id: `q${i}`, op: 'users.me', body: {} });
    const answered = () => c.frames.filter((f) => f.type === 'res').length;
    while (answered() < sent) await c.next(() => answered() >= sent);
    const seconds = (performance.now() - start) / 1000;
    const limited = c.frames.filter((f) => f.type === 'res' && f.ok === false);
    // At most the bucket (50) plus what refilled (50/s) while the requests came in were allowed,
    // however slowly a loaded machine delivered them.
    expect(limited.length).toBeGreaterThanOrEqual(Math.max(1, sent - 50 - Math.ceil(50 * seconds)));
    expect(limited[0]).toMatchObject({
      error: { code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } },
    });
    // The bucket holds one second's worth (50), less the auth frame.
    expect(c.frames.filter((f) => f.type === 'res' && f.ok === true).length).toBeGreaterThanOrEqual(45);
    expect(await other.request('users.me', {})).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(await c.request('users.me', {})).toMatchObject({ ok: true });
    other.close();
  });

  it('counts every received frame', async () => {
    const before = (await node.platform.metrics.wsFramesIn.get()).values[0]?.value ?? 0;
    c.send({ type: 'ping' });
    c.send('garbage');
    await c.next((f) => f.type === 'error');
    expect((await node.platform.metrics.wsFramesIn.get()).values[0]?.value).toBe(before + 2);
  });
});
