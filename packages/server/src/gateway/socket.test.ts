import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame, WsSocketAdapter } from './socket.ts';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A server adapter over a real socket pair, and the texts its client receives, in order. */
async function pair(perMessageDeflate: boolean) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate });
  servers.push(wss);
  await once(wss, 'listening');
  const { port } = wss.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, {
    perMessageDeflate: perMessageDeflate ? { threshold: 0 } : false,
  });
  const got: string[] = [];
  client.on('message', (data) => got.push(String(data)));
  const [ws, req] = (await once(wss, 'connection')) as [WebSocket, { socket: Socket }];
  await once(client, 'open');
  /** What the client has once it has `n` messages (or after 3 s: a failure shows what came). */
  const received = async (n: number) => {
    const until = Date.now() + 3000;
    while (got.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    return got;
  };
  return { adapter: new WsSocketAdapter(ws, req.socket), client, ws, received };
}

describe('WsSocketAdapter', () => {
  it('frames shared payloads of every length class as ws would, in order with its own frames', async () => {
    const { adapter, client, received } = await pair(false);
    const small = Buffer.from('{"type":"event","event":"小"}');
    const medium = Buffer.from('m'.repeat(300));
    const large = Buffer.from('l'.repeat(70_000));
    adapter.send('first');
    adapter.send(small);
    adapter.ping();
    adapter.send(medium);
    adapter.send('between');
    adapter.send(large);
    adapter.send(small);
    expect(await received(6)).toEqual([
      'first',
      small.toString(),
      medium.toString(),
      'between',
      large.toString(),
      small.toString(),
    ]);
    client.close();
  });

  it('leaves the framing to ws when an extension was negotiated (compression may hold frames back)', async () => {
    const { adapter, ws, client, received } = await pair(true);
    expect(ws.extensions).not.toBe('');
    // Compressed asynchronously: ws queues what follows until it is written.
    adapter.send('x'.repeat(10_000));
    adapter.send(Buffer.from('after'));
    expect(await received(2)).toEqual(['x'.repeat(10_000), 'after']);
    client.close();
  });

  it('builds the RFC 6455 header for each length class', () => {
    expect([...textFrame(Buffer.from('hi'))]).toEqual([0x81, 2, 0x68, 0x69]);
    expect([...textFrame(Buffer.alloc(126, 0x61)).subarray(0, 4)]).toEqual([0x81, 126, 0, 126]);
    expect([...textFrame(Buffer.alloc(65_536, 0x61)).subarray(0, 10)]).toEqual([
      0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0,
    ]);
  });
});
