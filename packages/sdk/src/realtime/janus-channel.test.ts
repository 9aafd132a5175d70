import { WebSocket, WebSocketServer } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  JanusChannel,
  mediaChannelUrl,
  type JanusMessage,
  type ProtocolWebSocketConstructor,
} from './janus-channel.ts';

/** A Janus-like peer: answers create with success, message with ack then event, trickle with ack. */
let wss: WebSocketServer;
let url: string;
let protocols: string[] = [];

beforeEach(async () => {
  protocols = [];
  wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (p) => [...p][0] ?? false,
    // The proxy refuses a bad grant at the upgrade.
    verifyClient: (info, done) => done(!info.req.url?.includes('grant=bad'), 401),
  });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const address = wss.address();
  url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/janus?grant=g`;
  wss.on('connection', (socket, req) => {
    protocols.push(String(req.headers['sec-websocket-protocol'] ?? ''));
    socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as JanusMessage;
      const reply = (body: Record<string, unknown>) =>
        socket.send(JSON.stringify({ transaction: m.transaction, ...body }));
      if (m.janus === 'create') reply({ janus: 'success', data: { id: 7 } });
      else if (m.janus === 'trickle') reply({ janus: 'ack' });
      else if (m.janus === 'message') {
        reply({ janus: 'ack' });
        socket.send(
          JSON.stringify({
            janus: 'event',
            sender: 9,
            plugindata: { data: { videoroom: 'talking', id: 3 } },
          }),
        );
        if ((m.body as { request?: string }).request === 'bad')
          reply({
            janus: 'event',
            sender: 9,
            plugindata: { plugin: 'v', data: { error_code: 426, error: 'No such room' } },
          });
        else reply({ janus: 'event', sender: 9, plugindata: { plugin: 'v', data: { videoroom: 'joined' } } });
      } else reply({ janus: 'error', error: { code: 458, reason: 'No such session' } });
    });
  });
});

afterEach(async () => {
  for (const client of wss.clients) client.terminate();
  await new Promise((resolve) => wss.close(resolve));
});

const Ws = WebSocket as unknown as ProtocolWebSocketConstructor;

describe('JanusChannel', () => {
  it('matches answers to requests by transaction, past acks, and emits the rest', async () => {
    const channel = await JanusChannel.open({ url, WebSocket: Ws, protocol: 'janus-protocol' });
    const events: JanusMessage[] = [];
    channel.on('message', (m) => events.push(m));
    expect((await channel.request({ janus: 'create' })).data).toEqual({ id: 7 });
    const joined = await channel.request({
      janus: 'message',
      session_id: 7,
      handle_id: 9,
      body: { request: 'join' },
    });
    expect(joined.plugindata).toEqual({ plugin: 'v', data: { videoroom: 'joined' } });
    expect((await channel.request({ janus: 'trickle', session_id: 7, handle_id: 9 }, 'ack')).janus).toBe(
      'ack',
    );
    expect(events.map((e) => (e.plugindata as { data: { videoroom: string } }).data.videoroom)).toEqual([
      'talking',
    ]);
    expect(protocols).toEqual(['janus-protocol']);
    channel.close();
  });

  it('rejects Janus and plugin errors with MEDIA_ERROR, and everything pending when it closes', async () => {
    const channel = await JanusChannel.open({ url, WebSocket: Ws });
    await expect(channel.request({ janus: 'keepalive', session_id: 1 })).rejects.toMatchObject({
      code: 'MEDIA_ERROR',
      details: { janusCode: 458 },
    });
    await expect(channel.request({ janus: 'message', body: { request: 'bad' } })).rejects.toMatchObject({
      code: 'MEDIA_ERROR',
      details: { janusCode: 426 },
    });
    const pending = channel.request({ janus: 'never-answered' });
    for (const client of wss.clients) client.close();
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(channel.request({ janus: 'create' })).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('fails to open when the proxy refuses the grant', async () => {
    await expect(
      JanusChannel.open({ url: url.replace('grant=g', 'grant=bad'), WebSocket: Ws }),
    ).rejects.toMatchObject({
      code: 'CONNECTION_CLOSED',
    });
    expect(protocols).toEqual([]);
  });

  it('resolves a grant URL against the server', () => {
    expect(mediaChannelUrl('https://im.example/', '/janus?grant=a')).toBe('wss://im.example/janus?grant=a');
    expect(mediaChannelUrl('http://127.0.0.1:8080', '/janus?grant=a')).toBe(
      'ws://127.0.0.1:8080/janus?grant=a',
    );
    expect(mediaChannelUrl('http://x', 'wss://media.example/janus?grant=a')).toBe(
      'wss://media.example/janus?grant=a',
    );
  });
});
