/**
 * The pool against a scripted `ws` server: what a connection does at each step of its life, and how
 * each way of failing is counted.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnPool, type PoolListener } from './conn-pool.ts';
import { agentPorts } from './local-ports.ts';

interface Seen {
  opened: number[];
  responses: Array<[number, string, boolean, string | undefined]>;
  events: string[];
  pongs: number;
}

function listener(): PoolListener & { seen: Seen } {
  const seen: Seen = { opened: [], responses: [], events: [], pongs: 0 };
  return {
    seen,
    opened: (slot) => seen.opened.push(slot),
    response: (slot, id, ok, code) => seen.responses.push([slot, id, ok, code]),
    event: (_slot, text) => seen.events.push(text),
    pong: () => seen.pongs++,
  };
}

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A fake Zhixin gateway: "good" tokens get hello, others an error frame and close 4002. With
 * `drivesHeartbeat` it agrees to drive the heartbeat of a client that asks.
 */
function fakeGateway(
  onSocket: (ws: WebSocket) => void = () => {},
  drivesHeartbeat = false,
): Promise<{ server: Server; port: number; frames: string[] }> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: '/ws' });
  const frames: string[] = [];
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const text = String(data);
      frames.push(text);
      const frame = JSON.parse(text) as {
        type: string;
        accessToken?: string;
        id?: string;
        heartbeat?: string;
      };
      if (frame.type === 'auth') {
        if (frame.accessToken === 'good') {
          const drive = frame.heartbeat === 'server' && drivesHeartbeat;
          ws.send(
            JSON.stringify({
              type: 'hello',
              v: 1,
              heartbeatMs: 100,
              userId: 'u',
              ...(drive ? { heartbeat: 'server' } : {}),
            }),
          );
          onSocket(ws);
        } else {
          ws.send(JSON.stringify({ type: 'error', error: { code: 'TOKEN_INVALID', message: 'no' } }));
          ws.close(4002, 'unauthenticated');
        }
      } else if (frame.type === 'req' && (frame as { op?: string }).op === 'reordered') {
        // Keys in another order than the gateway's: the pool falls back to JSON.parse.
        ws.send(JSON.stringify({ ok: true, id: frame.id, type: 'res', body: {} }));
      } else if (frame.type === 'req') {
        ws.send(
          JSON.stringify({ type: 'res', id: frame.id, ok: false, error: { code: 'NOPE', message: 'x' } }),
        );
      } else if (frame.type === 'ping') ws.send('{"type":"pong"}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, frames }),
    ),
  );
}

describe('the connection pool', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  function pool(
    port: number,
    l: PoolListener,
    extra: Partial<ConstructorParameters<typeof ConnPool>[0]> = {},
  ) {
    const p = new ConnPool({ host: '127.0.0.1', port, sourceAddresses: ['127.0.0.2'], ...extra }, l);
    cleanup.push(() => p.destroy());
    return p;
  }

  it('opens, pings on the hello heartbeat, answers server pings, carries requests and events, closes', async () => {
    let serverPongs = 0;
    let serverSide: WebSocket | undefined;
    const gw = await fakeGateway((ws) => {
      serverSide = ws;
      ws.on('pong', () => serverPongs++);
      ws.ping(Buffer.from('hb'));
      // A fragmented event and a long one (16-bit length).
      ws.send('{"type":"event","event":"x",', { fin: false });
      ws.send('"body":{}}', { fin: true });
      ws.send(JSON.stringify({ type: 'event', event: 'y', body: 'z'.repeat(1000) }));
    });
    cleanup.push(() => gw.server.close());
    const l = listener();
    const p = pool(gw.port, l);
    const slot = p.add('good');
    p.connect(slot);
    await until(() => l.seen.opened.length === 1 && l.seen.events.length === 2);
    expect(p.open).toBe(1);
    expect(p.connectLatency.count).toBe(1);
    expect(l.seen.events[0]).toBe('{"type":"event","event":"x","body":{}}');
    await until(() => serverPongs === 1);
    // heartbeatMs 100 from hello: protocol pings arrive without asking.
    await until(() => gw.frames.filter((f) => f === '{"type":"ping"}').length >= 2 && l.seen.pongs >= 2);
    const id = p.request(slot, 'messages.send', '{"a":1}');
    await until(() => l.seen.responses.length === 1);
    expect(l.seen.responses[0]).toEqual([slot, id, false, 'NOPE']);
    expect(JSON.parse(gw.frames.find((f) => f.includes('"req"'))!)).toEqual({
      type: 'req',
      id,
      op: 'messages.send',
      body: { a: 1 },
    });
    const other = p.request(slot, 'reordered', '{}');
    await until(() => l.seen.responses.length === 2);
    expect(l.seen.responses[1]).toEqual([slot, other, true, undefined]);
    const closed = new Promise<number>((r) => serverSide!.on('close', (code) => r(code)));
    expect(p.close(slot)).toBe(true);
    expect(await closed).toBe(1000);
    await until(() => p.lingering === 0);
    expect({ open: p.open, closedByUs: p.closedByUs, dropped: p.failures.dropped }).toEqual({
      open: 0,
      closedByUs: 1,
      dropped: 0,
    });
  });

  it('counts a server-side close of an open connection as dropped, and can reconnect the slot', async () => {
    const gw = await fakeGateway((ws) => setTimeout(() => ws.close(4005, 'heartbeat_timeout'), 20));
    cleanup.push(() => gw.server.close());
    const l = listener();
    const p = pool(gw.port, l, { heartbeatMs: 60_000 });
    const slot = p.add('good');
    p.connect(slot);
    await until(() => p.failures.dropped === 1);
    expect(p.open).toBe(0);
    expect(p.failures.samples[0]).toMatch(/4005 heartbeat_timeout/);
    p.connect(slot);
    await until(() => p.established === 2);
  });

  it('classifies refused connects, refused upgrades, refused tokens and unusable source addresses', async () => {
    const gw = await fakeGateway();
    cleanup.push(() => gw.server.close());
    const l = listener();
    const bad = pool(gw.port, l);
    bad.connect(bad.add('wrong'));
    const notFound = pool(gw.port, l, { path: '/nope' });
    notFound.connect(notFound.add('good'));
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const refused = pool(closedPort, l);
    refused.connect(refused.add('good'));
    // TEST-NET-1 is not an address of this machine: bind fails like an address out of ports.
    const noAddress = pool(gw.port, l, { sourceAddresses: ['192.0.2.1'] });
    noAddress.connect(noAddress.add('good'));
    await until(() => bad.connecting + notFound.connecting + refused.connecting + noAddress.connecting === 0);
    expect(bad.failures.authRejected).toBe(1);
    expect(bad.failures.samples[0]).toMatch(/TOKEN_INVALID/);
    expect(notFound.failures.upgradeRejected).toBe(1);
    expect(notFound.failures.samples[0]).toMatch(/HTTP\/1\.1 400/); // ws answers a wrong path with 400
    expect(refused.failures.refused).toBe(1);
    expect(noAddress.failures.portsExhausted).toBe(1);
    expect(l.seen.opened).toEqual([]);
  });

  it('fails an attempt that gets no hello in time', async () => {
    // A server that upgrades but never answers auth.
    const server = createServer();
    const wss = new WebSocketServer({ server });
    wss.on('connection', () => {});
    const port = await new Promise<number>((r) =>
      server.listen(0, '127.0.0.1', () => r((server.address() as AddressInfo).port)),
    );
    cleanup.push(() => server.close());
    const p = pool(port, listener(), { connectTimeoutMs: 300 });
    p.connect(p.add('good'));
    await until(() => p.connecting === 0);
    expect(p.failures.authRejected).toBe(1);
    expect(p.failures.samples[0]).toMatch(/no hello after 300 ms/);
  });

  it('asks the server to drive the heartbeat: answers its text pings and sends none of its own', async () => {
    let serverSide: WebSocket | undefined;
    const gw = await fakeGateway((ws) => (serverSide = ws), true);
    cleanup.push(() => gw.server.close());
    const l = listener();
    const p = pool(gw.port, l);
    p.connect(p.add('good'));
    await until(() => l.seen.opened.length === 1);
    expect(JSON.parse(gw.frames[0]!)).toMatchObject({ type: 'auth', heartbeat: 'server' });
    for (let i = 0; i < 3; i++) serverSide!.send('{"type":"ping"}');
    await until(() => gw.frames.filter((f) => f === '{"type":"pong"}').length === 3);
    // hello's heartbeatMs is 100: three beats pass without a ping from us.
    await new Promise((r) => setTimeout(r, 350));
    expect(gw.frames.filter((f) => f.includes('"ping"'))).toEqual([]);
  });

  it('pings itself in client mode even when the server offers to drive', async () => {
    const gw = await fakeGateway(() => {}, true);
    cleanup.push(() => gw.server.close());
    const l = listener();
    const p = pool(gw.port, l, { heartbeat: 'client' });
    p.connect(p.add('good'));
    await until(() => gw.frames.filter((f) => f === '{"type":"ping"}').length >= 2);
    expect(JSON.parse(gw.frames[0]!)).not.toHaveProperty('heartbeat');
  });

  it('binds each connection to a port of its agent’s share, skipping one another process holds', async () => {
    const gw = await fakeGateway();
    cleanup.push(() => gw.server.close());
    const remotePorts: number[] = [];
    gw.server.on('connection', (socket: { remotePort?: number }) => remotePorts.push(socket.remotePort ?? 0));
    // A share of ~28 ports whose first one a listener on the pool's source address holds.
    let blocker: TcpServer | undefined;
    let share = { index: 0, of: 1000 };
    for (let tries = 0; !blocker && tries < 20; tries++) {
      share = { index: Math.floor(Math.random() * 1000), of: 1000 };
      const port = agentPorts(share)[0]!;
      blocker = await new Promise<TcpServer | undefined>((resolve) => {
        const srv = createTcpServer();
        srv.once('error', () => resolve(undefined));
        srv.listen(port, '127.0.0.2', () => resolve(srv));
      });
    }
    cleanup.push(() => blocker?.close());
    const ports = agentPorts(share);
    const l = listener();
    const p = pool(gw.port, l, { portShare: share });
    p.connect(p.add('good'));
    p.connect(p.add('good'));
    await until(() => l.seen.opened.length === 2);
    expect(remotePorts).toHaveLength(2);
    for (const port of remotePorts) expect(ports.slice(1)).toContain(port);
    expect(p.failures).toMatchObject({ portsExhausted: 0, refused: 0, other: 0 });
  });
});
