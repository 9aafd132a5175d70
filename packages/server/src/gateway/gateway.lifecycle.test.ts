import { once } from 'node:events';
import { CloseCode, PROTOCOL_VERSION } from '@zhixin/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { SocketAdapter } from './socket.ts';
import { startTestNode, TestClient, tokenFor, uid, type TestNode } from './testing.ts';

/** A socket whose buffer and liveness the test controls. */
class FakeSocket implements SocketAdapter {
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  pings = 0;
  terminated = false;
  send(text: string) {
    this.sent.push(text);
  }
  close(code: number, reason: string) {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }
  ping() {
    this.pings++;
  }
  terminate() {
    this.terminated = true;
    this.readyState = 3;
  }
  frames(): Array<Record<string, unknown>> {
    return this.sent.map((t) => JSON.parse(t) as Record<string, unknown>);
  }
}

const flush = () => new Promise((r) => setImmediate(r));

let node: TestNode | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await node?.close();
  node = undefined;
});

describe('gateway back-pressure', () => {
  it('drops a slow consumer instead of buffering, and counts it', async () => {
    node = await startTestNode({ config: { gateway: { maxBufferedBytes: 64 * 1024 } } });
    const user = uid();
    const fake = new FakeSocket();
    const conn = node.gateway.accept(fake, '10.0.0.1');
    conn.handleMessage(
      JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(user, 'slowdev') }),
      false,
    );
    await flush();
    const healthy = await TestClient.login(node.url, user, 'gooddev');
    expect(fake.frames()[0]).toMatchObject({ type: 'hello' });

    node.gateway.events.emit([user], 'typing.v1', { conversationId: 'c1', userId: 'x', typing: true });
    expect(fake.sent).toHaveLength(2);
    fake.bufferedAmount = 64 * 1024 + 1;
    node.gateway.events.emit([user], 'typing.v1', { conversationId: 'c1', userId: 'x', typing: false });

    expect(fake.sent).toHaveLength(2);
    expect(fake.closedWith).toEqual({ code: CloseCode.slow_consumer, reason: 'slow_consumer' });
    expect((await node.platform.metrics.wsSlowConsumers.get()).values[0]?.value).toBe(1);
    expect(await closedByServer(node)).toEqual({ slow_consumer: 1 });
    await healthy.next((f) => f.type === 'event' && (f.body as { typing: boolean }).typing === false);
    expect(node.gateway.stats().connections).toBe(1);
    healthy.close();
  });

  it('drops the socket outright if the slow consumer does not finish closing', async () => {
    node = await startTestNode({
      config: { gateway: { maxBufferedBytes: 1024 } },
      gateway: { closeGraceMs: 20 },
    });
    const fake = new FakeSocket();
    const conn = node.gateway.accept(fake, '10.0.0.1');
    conn.handleMessage(
      JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(uid()) }),
      false,
    );
    await flush();
    fake.bufferedAmount = 1_000_000;
    fake.readyState = 1;
    conn.handleMessage(JSON.stringify({ type: 'ping' }), false);
    expect(fake.closedWith?.reason).toBe('slow_consumer');
    await new Promise((r) => setTimeout(r, 40));
    expect(fake.terminated).toBe(true);
  });
});

describe('gateway heartbeats', () => {
  /** A node with 1-s beats under fake timers, and one authenticated connection on a fake socket. */
  async function beatingConnection(auth: { heartbeat?: 'server' } = {}) {
    const started = await startTestNode({ config: { gateway: { heartbeatSeconds: 1 } } });
    node = started;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    const user = uid();
    const fake = new FakeSocket();
    const conn = started.gateway.accept(fake, '10.0.0.1');
    conn.handleMessage(
      JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(user), ...auth }),
      false,
    );
    await flush();
    return { user, fake, conn, started };
  }

  it('pings a silent peer every heartbeat, not one heard from in the period, and terminates one that missed two pongs', async () => {
    const { user, fake, conn, started } = await beatingConnection();
    // The auth frame was heard in the first period: no ping.
    vi.advanceTimersByTime(1000);
    expect(fake.pings).toBe(0);
    // A protocol ping from the client in the second period: still no ping from us.
    conn.handleMessage(JSON.stringify({ type: 'ping' }), false);
    vi.advanceTimersByTime(1000);
    expect(fake.pings).toBe(0);
    // Silent from here: pinged every heartbeat; a pong keeps it, two missed pongs end it.
    vi.advanceTimersByTime(1000);
    conn.handlePong();
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    expect(fake.pings).toBe(3);
    expect(fake.closedWith).toBeUndefined();
    vi.advanceTimersByTime(1000);
    expect(fake.closedWith).toEqual({ code: CloseCode.heartbeat_timeout, reason: 'heartbeat_timeout' });
    vi.advanceTimersByTime(1);
    expect(fake.terminated).toBe(true);
    expect(started.gateway.isOnline(user)).toBe(false);
    expect(await closedByServer(started)).toEqual({ heartbeat_timeout: 1 });
  });

  it('drives the heartbeat for a client that asks: a text ping each quiet beat, answered by a pong that does not count as talk', async () => {
    const { user, fake, conn, started } = await beatingConnection({ heartbeat: 'server' });
    expect(JSON.parse(fake.sent[0] ?? '{}')).toMatchObject({
      type: 'hello',
      heartbeatMs: 1000,
      heartbeat: 'server',
    });
    const pings = () => fake.sent.filter((t) => String(t) === '{"type":"ping"}').length;
    // The auth frame was heard in the first period: no ping.
    vi.advanceTimersByTime(1000);
    expect(pings()).toBe(0);
    // Quiet: a text ping each beat (never a protocol ping), and each pong keeps it, beat after beat.
    for (let beat = 1; beat <= 3; beat++) {
      vi.advanceTimersByTime(1000);
      expect(pings()).toBe(beat);
      conn.handleMessage(Buffer.from('{"type":"pong"}'), false);
    }
    // A pong written another way is read in full, and it is just as good.
    vi.advanceTimersByTime(1000);
    expect(pings()).toBe(4);
    conn.handleMessage(Buffer.from('{ "type": "pong" }'), false);
    vi.advanceTimersByTime(1000);
    expect(pings()).toBe(5);
    expect(fake.pings).toBe(0);
    expect(fake.sent.filter((t) => String(t).includes('"error"'))).toEqual([]);
    expect(fake.closedWith).toBeUndefined();
    // A request is talk: the beat after it sends no ping.
    conn.handleMessage(Buffer.from('{"type":"pong"}'), false);
    conn.handleMessage(JSON.stringify({ type: 'req', id: 'r1', op: 'no.such.op', body: {} }), false);
    vi.advanceTimersByTime(1000);
    expect(pings()).toBe(5);
    // Then silence: two unanswered pings end it.
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(1000);
    expect(pings()).toBe(7);
    expect(fake.closedWith).toBeUndefined();
    vi.advanceTimersByTime(1000);
    expect(fake.closedWith).toEqual({ code: CloseCode.heartbeat_timeout, reason: 'heartbeat_timeout' });
    expect(started.gateway.isOnline(user)).toBe(false);
  });

  it('does not take a pong for the auth frame', async () => {
    node = await startTestNode();
    const c = await TestClient.connect(node.url);
    c.ws.send('{"type":"pong"}');
    const err = await c.next((f) => f.type === 'error');
    expect(err).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    c.close();
  });

  it('keeps a peer that answers pings and drops one that does not (real sockets)', async () => {
    node = await startTestNode({ config: { gateway: { heartbeatSeconds: 1 } } });
    const alive = await TestClient.login(node.url, uid());
    const mute = await TestClient.connect(node.url, { autoPong: false });
    mute.send({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(uid()) });
    await mute.next((f) => f.type === 'hello');
    await mute.closed;
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect(node.gateway.stats().connections).toBe(1);
    alive.close();
  }, 10_000);
});

describe('gateway upgrades and shutdown', () => {
  it('serves WebSocket only at /ws', async () => {
    node = await startTestNode();
    const ws = new WebSocket(node.url.replace('/ws', '/other'));
    const [err] = (await once(ws, 'error')) as [Error];
    expect(err.message).toContain('404');
  });

  it('closes a connection that sends a frame over maxFrameBytes', async () => {
    node = await startTestNode({ config: { gateway: { maxFrameBytes: 1024 } } });
    const c = await TestClient.login(node.url, uid());
    c.send({ type: 'ping', pad: 'x'.repeat(2000) });
    expect((await c.closed).code).toBe(1009);
  });

  it('says bye server_shutdown to every socket on close and refuses new ones', async () => {
    node = await startTestNode();
    const a = await TestClient.login(node.url, uid());
    const pending = await TestClient.connect(node.url);
    const url = node.url;
    await node.close();
    node = undefined;
    expect(await a.closed).toEqual({ code: CloseCode.server_shutdown, reason: 'server_shutdown' });
    expect(a.frames.at(-1)).toEqual({ type: 'bye', reason: 'server_shutdown' });
    expect((await pending.closed).code).toBe(CloseCode.server_shutdown);
    const late = new WebSocket(url);
    await once(late, 'error');
  });
});

/** zx_ws_closed_by_server_total of a node, by reason. */
async function closedByServer(n: TestNode): Promise<Record<string, number>> {
  const { values } = await n.platform.metrics.wsClosedByServer.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.reason), v.value]));
}
