import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { PROTOCOL_VERSION } from '@zhixin/protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { startTestNode, TestClient, tokenFor, uid, type TestNode } from '../../gateway/testing.ts';
import { TusTestClient } from '../../modules/files/files.testing.ts';
import { buildTestApp } from '../../testing/app.ts';
import { registerUser } from '../../testing/factories.ts';

/**
 * Attack: slowloris. Hold many sockets open by sending headers or a body a few bytes at a time (or
 * nothing at all), so the server runs out of sockets or memory. The server cuts each of them within
 * its configured timeouts and keeps answering everyone else. On the WebSocket, a client that never
 * reads is dropped instead of having its frames buffered forever.
 */

const HOLD_MS = 20_000;

/** A raw TCP client that records when the server closed it. */
async function rawClient(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  return { socket, closed };
}

/** Write `chunks` one by one with a pause between, until the socket is closed or they run out. */
function trickle(socket: Socket, chunks: string[], everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= chunks.length) return clearInterval(timer);
    socket.write(chunks[i++]!);
  }, everyMs);
  return () => clearInterval(timer);
}

function oneByteEach(text: string): string[] {
  return text.split('');
}

function lines(n: number, make: (i: number) => string): string[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

describe('slow HTTP clients', { timeout: HOLD_MS }, () => {
  let app: App;
  let port: number;
  beforeAll(async () => {
    app = await buildTestApp({
      config: {
        http: {
          rateLimitPerMinute: 100_000,
          headersTimeoutSeconds: 1,
          bodyTimeoutSeconds: 1,
          idleTimeoutSeconds: 5,
          keepAliveTimeoutSeconds: 1,
        },
      },
    });
    port = await app.listen();
  });
  afterAll(() => app.close());

  const healthy = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status;

  it('cuts a client that sends its headers a line at a time, and serves others meanwhile', async () => {
    const { socket, closed } = await rawClient(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // Enough lines for a minute: the server must not wait for them.
    const stop = trickle(
      socket,
      lines(300, (i) => `X-Slow-${i}: ${'a'.repeat(10)}\r\n`),
      200,
    );
    expect(await healthy()).toBe(200);
    const answer = await closed;
    stop();
    // Node answers 408 before closing, or just closes: either way, no 200.
    expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
  });

  it('cuts a client that trickles a JSON body, and serves others meanwhile', async () => {
    const { socket, closed } = await rawClient(port);
    const body = JSON.stringify({ phone: '+8613800000000', password: 'x'.repeat(400), device: {} });
    socket.write(
      `POST /api/v1/auth/login/password HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    const stop = trickle(socket, oneByteEach(body), 100);
    expect(await healthy()).toBe(200);
    const answer = await closed;
    stop();
    expect(answer).toBe('');
  });

  it('cuts a client that connects and says nothing', async () => {
    const { closed } = await rawClient(port);
    expect(await healthy()).toBe(200);
    await closed;
  });

  it('closes an idle keep-alive connection after its request', async () => {
    const { socket, closed } = await rawClient(port);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
    const answer = await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
  });

  it('survives a crowd of slow clients at once and still answers', async () => {
    const crowd = await Promise.all(lines(40, () => '').map(() => rawClient(port)));
    const stops = crowd.map(({ socket }) => {
      socket.write('GET /healthz HTTP/1.1\r\n');
      return trickle(
        socket,
        lines(300, (i) => `X-${i}: y\r\n`),
        250,
      );
    });
    for (let i = 0; i < 5; i++) expect(await healthy()).toBe(200);
    await Promise.all(crowd.map((c) => c.closed));
    stops.forEach((stop) => stop());
    expect(await healthy()).toBe(200);
  });

  it('lets an upload stream for longer than the JSON body deadline', async () => {
    // The tus route is exempt from bodyTimeoutSeconds (1 s here): a 2 s PATCH is not cut by it.
    const user = await registerUser(app);
    const tus = new TusTestClient(`http://127.0.0.1:${port}`, user.accessToken);
    const created = await tus.create(10, { filename: 'slow.txt' });
    await created.arrayBuffer();
    const location = created.headers.get('location');
    if (created.status !== 201 || !location) throw new Error(`create answered ${created.status}`);
    const { socket, closed } = await rawClient(port);
    socket.write(
      `PATCH ${location} HTTP/1.1\r\nHost: 127.0.0.1\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n` +
        `Authorization: Bearer ${user.accessToken}\r\nContent-Type: application/offset+octet-stream\r\n` +
        'Content-Length: 10\r\nConnection: close\r\n\r\n',
    );
    const stop = trickle(socket, oneByteEach('0123456789'), 200);
    const answer = await closed;
    stop();
    expect(answer).toMatch(/^HTTP\/1\.1 204/);
  });
});

describe('a WebSocket client that never reads', { timeout: HOLD_MS }, () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startTestNode({
      config: { gateway: { maxBufferedBytes: 64 * 1024, maxRequestsPerSecond: 100_000 } },
    });
    // A request with a large answer, so unread answers pile up quickly.
    const big = { profiles: [{ id: 'x', nickname: 'n'.repeat(200 * 1024) }] };
    node.ops.register('users.profiles', async () => big as never);
  });
  afterAll(() => node.close());

  async function serverConnections(): Promise<number> {
    return node.gateway.stats().connections;
  }

  it('is dropped as a slow consumer instead of buffered, and others keep being served', async () => {
    const lazy = new WebSocket(node.url);
    await once(lazy, 'open');
    lazy.on('error', () => {});
    lazy.send(JSON.stringify({ type: 'auth', v: PROTOCOL_VERSION, accessToken: tokenFor(uid()) }));
    await new Promise<void>((resolve) => lazy.once('message', () => resolve()));
    expect(await serverConnections()).toBe(1);
    // Stop reading; keep asking for 200 KiB answers (far more than the socket buffers hold).
    lazy.pause();
    for (let i = 0; i < 400; i++) {
      lazy.send(JSON.stringify({ type: 'req', id: `b${i}`, op: 'users.profiles', body: { ids: 'x' } }));
    }
    while ((await serverConnections()) > 0) await new Promise((r) => setTimeout(r, 100));
    expect((await node.platform.metrics.wsSlowConsumers.get()).values[0]?.value).toBe(1);
    const other = await TestClient.login(node.url, uid());
    expect(await other.request('users.me', {})).toMatchObject({ ok: true });
    other.close();
    lazy.terminate();
  });
});
