import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_UNSENT_FOR_PONG, type GatewaySocket, type SocketPeer } from './socket.ts';
import { createUpgradeHandler } from './upgrade.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** What a peer heard, in order. */
class RecordingPeer implements SocketPeer {
  readonly heard: string[] = [];
  /** Protocol pings the socket asked about, and whether the peer lets it answer them. */
  pings = 0;
  answerPings = true;
  handleMessage(data: Buffer, isBinary: boolean): void {
    this.heard.push(isBinary ? `binary:${data.toString('hex')}` : `text:${data.toString()}`);
  }
  handlePing(): boolean {
    this.pings++;
    return this.answerPings;
  }
  handlePong(): void {
    this.heard.push('pong');
  }
  handleClosed(): void {
    this.heard.push('closed');
  }
}

/** An HTTP server whose `/ws` upgrades become GatewaySockets, and what happened to them. */
async function gatewayServer(maxPayload = 1 << 20) {
  const sockets: Array<{ socket: GatewaySocket; peer: RecordingPeer }> = [];
  const closed: GatewaySocket[] = [];
  const errors: string[] = [];
  const server = createServer((_req, res) => res.end());
  server.on(
    'upgrade',
    createUpgradeHandler({
      maxPayload,
      trustProxy: false,
      isClosing: () => false,
      listeners: { closed: (s) => closed.push(s), error: (_s, err) => errors.push(err.message) },
      onSocket(socket) {
        const peer = new RecordingPeer();
        sockets.push({ socket, peer });
        return peer;
      },
    }),
  );
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { port, url: `ws://127.0.0.1:${port}/ws`, sockets, closed, errors };
}

/** Polls until `done` or 3 s (a failure then shows what came). */
async function until(done: () => boolean): Promise<void> {
  const end = Date.now() + 3000;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
}

async function client(url: string, protocols?: string[]) {
  const ws = new WebSocket(url, protocols);
  const got: string[] = [];
  ws.on('message', (data, isBinary) => got.push(isBinary ? 'binary' : String(data)));
  await once(ws, 'open');
  return { ws, got };
}

/** A raw TCP client: the upgrade request (and `extra` bytes in the same write), and all it receives. */
async function rawClient(
  port: number,
  request: string,
  extra: Buffer = Buffer.alloc(0),
  allowHalfOpen = false,
) {
  const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen });
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  const ended = once(socket, 'close');
  socket.write(Buffer.concat([Buffer.from(request, 'latin1'), extra]));
  return { socket, received: () => Buffer.concat(chunks), ended };
}

const UPGRADE =
  'GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

function masked(opcode: number, text: string, mask = true): Buffer {
  const data = Buffer.from(text);
  const key = [1, 2, 3, 4];
  const head = Buffer.from([0x80 | opcode, (mask ? 0x80 : 0) | data.length, ...(mask ? key : [])]);
  return Buffer.concat([head, mask ? data.map((b, i) => b ^ key[i % 4]!) : data]);
}

describe('GatewaySocket', () => {
  it('frames strings and shared payloads of every length class, in order with its pings', async () => {
    const srv = await gatewayServer();
    const { ws, got } = await client(srv.url);
    const { socket, peer } = srv.sockets[0]!;
    const small = Buffer.from('{"type":"event","event":"小"}');
    const medium = Buffer.from('m'.repeat(300));
    const large = Buffer.from('l'.repeat(70_000));
    socket.send('first');
    socket.send(small);
    socket.ping();
    socket.send(medium);
    socket.send('中'.repeat(30_000));
    socket.send(large);
    socket.send(small);
    await until(() => got.length >= 6 && peer.heard.includes('pong'));
    expect(got).toEqual([
      'first',
      small.toString(),
      medium.toString(),
      '中'.repeat(30_000),
      large.toString(),
      small.toString(),
    ]);
    // ws answers the ping by itself.
    expect(peer.heard).toEqual(['pong']);
    ws.close();
  });

  it('hands the peer text, binary and fragmented messages, and answers pings', async () => {
    const srv = await gatewayServer();
    const { ws } = await client(srv.url);
    const { peer } = srv.sockets[0]!;
    ws.send('{"type":"ping"}');
    ws.send(Buffer.from([1, 2, 3]));
    ws.send('分', { fin: false });
    ws.send('片', { fin: true });
    ws.send('x'.repeat(100_000));
    ws.ping('hello');
    const [pong] = (await once(ws, 'pong')) as [Buffer];
    expect(pong.toString()).toBe('hello');
    await until(() => peer.heard.length >= 4);
    expect(peer.heard).toEqual([
      'text:{"type":"ping"}',
      'binary:010203',
      'text:分片',
      `text:${'x'.repeat(100_000)}`,
    ]);
    ws.close();
  });

  it('leaves a ping unanswered when the peer refuses it (over its request rate)', async () => {
    const srv = await gatewayServer();
    const { ws } = await client(srv.url);
    const { peer } = srv.sockets[0]!;
    const pongs: string[] = [];
    ws.on('pong', (data: Buffer) => pongs.push(data.toString()));
    peer.answerPings = false;
    ws.ping('refused');
    ws.send('after');
    await until(() => peer.heard.includes('text:after'));
    peer.answerPings = true;
    ws.ping('answered');
    await until(() => pongs.length > 0);
    expect(pongs).toEqual(['answered']);
    expect(peer.pings).toBe(2);
    ws.close();
  });

  it('answers no more pings while a client that pings does not read (its pongs would pile up here)', async () => {
    const srv = await gatewayServer();
    const raw = await rawClient(srv.port, UPGRADE);
    await until(() => srv.sockets.length === 1);
    raw.socket.pause();
    // 100,000 pings ask for 12.7 MB of pongs: more than the kernel's buffers on both ends hold.
    const ping = masked(0x9, 'p'.repeat(125));
    const flood = Buffer.concat(Array.from({ length: 100_000 }, () => ping));
    raw.socket.write(Buffer.concat([flood, masked(0x1, 'done')]));
    const { socket, peer } = srv.sockets[0]!;
    await until(() => peer.heard.includes('text:done'));
    expect(peer.heard).toEqual(['text:done']);
    expect(socket.bufferedAmount).toBeLessThan(MAX_UNSENT_FOR_PONG + ping.length);
    expect(peer.pings).toBeLessThan(100_000);
    raw.socket.destroy();
  });

  it('closes with a code and reason the client hears, then reports the socket gone once', async () => {
    const srv = await gatewayServer();
    const { ws } = await client(srv.url);
    const { socket, peer } = srv.sockets[0]!;
    socket.close(4001, 'session_revoked');
    socket.send('never sent after the close frame');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([4001, 'session_revoked']);
    await until(() => srv.closed.length > 0);
    expect(peer.heard).toEqual(['closed']);
    expect(srv.closed).toEqual([socket]);
    expect(socket.readyState).toBe(3);
  });

  it("answers a client's close with the same code and reports the socket gone", async () => {
    const srv = await gatewayServer();
    const { ws } = await client(srv.url);
    const { peer } = srv.sockets[0]!;
    ws.close(4100, 'bye');
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(4100);
    await until(() => peer.heard.includes('closed'));
    expect(peer.heard).toEqual(['closed']);
  });

  it('drops the TCP connection on terminate (the client sees no closing handshake)', async () => {
    const srv = await gatewayServer();
    const { ws } = await client(srv.url);
    srv.sockets[0]!.socket.terminate();
    const [code] = (await once(ws, 'close')) as [number];
    expect(code).toBe(1006);
    await until(() => srv.closed.length > 0);
    expect(srv.sockets[0]!.peer.heard).toEqual(['closed']);
  });

  it('echoes the first subprotocol a client names', async () => {
    const srv = await gatewayServer();
    const { ws } = await client(srv.url, ['zx.v1', 'other']);
    expect(ws.protocol).toBe('zx.v1');
    ws.close();
  });

  it('reads frames that came in the same write as the upgrade request', async () => {
    const srv = await gatewayServer();
    const raw = await rawClient(srv.port, UPGRADE, masked(0x1, '{"type":"auth"}'));
    await until(() => srv.sockets[0]?.peer.heard.length === 1);
    expect(srv.sockets[0]!.peer.heard).toEqual(['text:{"type":"auth"}']);
    // The answer may still be on its way to the client when the server has read the frame.
    await until(() => raw.received().includes('\r\n\r\n'));
    expect(raw.received().toString('latin1')).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    raw.socket.destroy();
  });

  it.each([
    ['an unmasked frame', masked(0x1, 'x', false), 1002, 1 << 20],
    ['text that is not UTF-8', Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28]), 1007, 1 << 20],
    ['a message over the limit', masked(0x1, 'y'.repeat(100)), 1009, 64],
  ])('closes the connection for %s with code %i, and reports it', async (_what, frame, code, max) => {
    const srv = await gatewayServer(max);
    const raw = await rawClient(srv.port, UPGRADE);
    await until(() => srv.sockets.length === 1);
    raw.socket.write(frame);
    await until(() => raw.received().includes(Buffer.from([0x88])));
    const bytes = raw.received();
    const close = bytes.subarray(bytes.indexOf(Buffer.from('\r\n\r\n')) + 4);
    expect(close[0]).toBe(0x88);
    expect(close.readUInt16BE(2)).toBe(code);
    await raw.ended; // the server ended the TCP side; ours ends on 'end' (allowHalfOpen is off)
    await until(() => srv.closed.length > 0);
    expect(srv.sockets[0]!.peer.heard).toEqual(['closed']);
    expect(srv.errors).toHaveLength(1);
    expect(srv.errors[0]).toContain(`(${code})`);
  });

  it('drops a peer that closes but never ends its side of the TCP connection', async () => {
    const srv = await gatewayServer();
    // Half-open allowed: this client does not end when the server does.
    const raw = await rawClient(srv.port, UPGRADE, Buffer.alloc(0), true);
    await until(() => srv.sockets.length === 1);
    const serverEnded = once(raw.socket, 'end');
    raw.socket.write(masked(0x8, ''));
    await serverEnded;
    expect(srv.closed).toHaveLength(0);
    // Dropped after CLOSE_LINGER_MS (5 s), though the client still holds its side open.
    const end = Date.now() + 8000;
    while (srv.closed.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(srv.sockets[0]!.peer.heard).toEqual(['closed']);
    raw.socket.destroy();
  }, 10_000);

  it.each([
    ['a request without a key', UPGRADE.replace(/Sec-WebSocket-Key: .*\r\n/, ''), '400 Bad Request', ''],
    [
      'an unsupported version',
      UPGRADE.replace('Version: 13', 'Version: 7'),
      '426 Upgrade Required',
      'Sec-WebSocket-Version: 13',
    ],
    ['a POST', UPGRADE.replace('GET', 'POST'), '405 Method Not Allowed', ''],
    [
      'a subprotocol that is not a token',
      UPGRADE.replace('\r\n\r\n', '\r\nSec-WebSocket-Protocol: a b\r\n\r\n'),
      '400',
      '',
    ],
  ])('refuses %s', async (_what, request, status, header) => {
    const srv = await gatewayServer();
    const raw = await rawClient(srv.port, request);
    await raw.ended;
    const answer = raw.received().toString('latin1');
    expect(answer.startsWith(`HTTP/1.1 ${status}`)).toBe(true);
    expect(answer).toContain(header);
    expect(srv.sockets).toHaveLength(0);
  });
});
