import { JanusChannel, type JanusMessage, type WebSocketLike } from '@zhixin/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JanusSession } from './janus-session.ts';
import { RoomSubscription } from './videoroom.ts';

/** The configures the fake media server received, and how many of the next ones it refuses. */
const janus = { configures: [] as Array<Record<string, unknown>>, refuse: 0 };

/**
 * An in-memory Janus behind our proxy: create, attach, a subscriber's join (an offer with one video
 * stream), start, and configure (refused `refuse` times, then accepted).
 */
class FakeJanusSocket implements WebSocketLike {
  readyState = 1;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;

  constructor() {
    queueMicrotask(() => this.onopen?.({}));
  }

  send(data: string): void {
    const m = JSON.parse(data) as JanusMessage;
    const body = (m.body ?? {}) as { request?: string; streams?: Array<Record<string, unknown>> };
    const reply = (answer: Record<string, unknown>) =>
      setTimeout(
        () => this.onmessage?.({ data: JSON.stringify({ transaction: m.transaction, ...answer }) }),
        1,
      );
    const plugin = (data: Record<string, unknown>, jsep?: RTCSessionDescriptionInit) =>
      reply({ janus: 'event', sender: 9, plugindata: { plugin: 'janus.plugin.videoroom', data }, jsep });
    if (m.janus === 'create' || m.janus === 'attach') reply({ janus: 'success', data: { id: 9 } });
    else if (m.janus === 'trickle' || m.janus === 'keepalive') reply({ janus: 'ack' });
    else if (m.janus !== 'message') reply({ janus: 'success' });
    else if (body.request === 'join')
      plugin({ videoroom: 'attached', streams: [{ type: 'video', mid: 'v0' }] }, { type: 'offer', sdp: 'o' });
    else if (body.request === 'start') plugin({ started: 'ok' });
    else if (body.request === 'configure') {
      janus.configures.push(...(body.streams ?? []));
      if (janus.refuse > 0) {
        janus.refuse--;
        plugin({ error_code: 499, error: 'busy' });
      } else plugin({ configured: 'ok' });
    } else plugin({ left: 'ok' });
  }

  close(): void {
    this.readyState = 3;
  }
}

/** Just what a subscription does with its peer connection and stream (Node has no WebRTC). */
class FakePeerConnection {
  localDescription: RTCSessionDescriptionInit | null = null;
  ontrack: unknown = null;
  onicecandidate: unknown = null;
  async setRemoteDescription(): Promise<void> {}
  async createAnswer(): Promise<RTCSessionDescriptionInit> {
    return { type: 'answer', sdp: 'a' };
  }
  async setLocalDescription(d: RTCSessionDescriptionInit): Promise<void> {
    this.localDescription = d;
  }
  close(): void {}
}

class FakeMediaStream {
  addTrack(): void {}
}

async function subscribed(): Promise<{ sub: RoomSubscription; session: JanusSession }> {
  const channel = await JanusChannel.open({ url: 'ws://media/janus', WebSocket: FakeJanusSocket });
  const session = await JanusSession.create(channel);
  const sub = await RoomSubscription.subscribe({
    session,
    room: 1,
    feedId: 3,
    iceServers: [],
    onStream: () => {},
  });
  return { sub, session };
}

describe('RoomSubscription.setLayer', () => {
  const sessions: JanusSession[] = [];
  beforeEach(() => {
    janus.configures = [];
    janus.refuse = 0;
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    vi.stubGlobal('MediaStream', FakeMediaStream);
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.destroy();
    vi.unstubAllGlobals();
  });

  it('asks once per new layer, and again when the media server refused it', async () => {
    const { sub, session } = await subscribed();
    sessions.push(session);
    await sub.setLayer({ substream: 0, temporal: 2 });
    await sub.setLayer({ substream: 0, temporal: 2 });
    expect(janus.configures).toEqual([
      { mid: 'v0', substream: 0, temporal: 2, spatial_layer: 0, temporal_layer: 2 },
    ]);

    janus.refuse = 1;
    await sub.setLayer({ substream: 2, temporal: 2 });
    expect(janus.configures.map((c) => c.substream)).toEqual([0, 2, 2]);
    expect(sub.currentLayer).toEqual({ substream: 2, temporal: 2 });
  });

  it('forgets a layer it could not get, so the next fit of the tile asks for it again', async () => {
    const { sub, session } = await subscribed();
    sessions.push(session);
    janus.refuse = 3;
    await sub.setLayer({ substream: 0, temporal: 0 });
    expect(janus.configures).toHaveLength(3);
    expect(sub.currentLayer).toBeUndefined();
    await sub.setLayer({ substream: 0, temporal: 0 });
    expect(janus.configures).toHaveLength(4);
    expect(sub.currentLayer).toEqual({ substream: 0, temporal: 0 });
  });
});
