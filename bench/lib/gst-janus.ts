import { WebSocket } from 'ws';
import type { GstPeers, LocalCandidate, MediaKind } from './gst-peers.ts';

/** The proxy lets one connection hold 16 handles; the generator opens one channel per 15. */
export const HANDLES_PER_CHANNEL = 15;

interface JanusReply {
  janus: string;
  transaction?: string;
  sender?: number;
  data?: { id?: number };
  plugindata?: { data?: Record<string, unknown> };
  jsep?: { type: string; sdp: string };
  candidate?: { candidate?: string; sdpMLineIndex?: number; completed?: boolean };
}

interface Pending {
  ok: (r: JanusReply) => void;
  fail: (e: Error) => void;
  /** Requests Janus answers with an `ack` only (keepalive, trickle). */
  ackOnly: boolean;
}

/**
 * One WebSocket to our `/janus` proxy with one Janus session: what a browser's media connection
 * does, in Node, so the generator joins with real grants through the real proxy and filter.
 */
export class JanusChannel {
  private readonly pending = new Map<string, Pending>();
  private readonly trickles = new Map<number, (mline: number, candidate: string) => void>();
  private readonly webrtcUp = new Map<number, () => void>();
  private next = 0;
  private session = 0;
  private keepalive: NodeJS.Timeout | undefined;
  handles = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => this.onMessage(JSON.parse(raw.toString()) as JanusReply));
    ws.on('close', () => {
      for (const p of this.pending.values()) p.fail(new Error('the /janus proxy closed the connection'));
      this.pending.clear();
    });
  }

  static async open(url: string): Promise<JanusChannel> {
    const ws = new WebSocket(url, 'janus-protocol');
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`proxy refused: ${res.statusCode}`)));
    });
    const channel = new JanusChannel(ws);
    channel.session = (await channel.request({ janus: 'create' })).data?.id ?? 0;
    // Janus ends a session after 60 s without a request.
    channel.keepalive = setInterval(
      () => channel.request({ janus: 'keepalive', session_id: channel.session }, true).catch(() => {}),
      20_000,
    );
    return channel;
  }

  private onMessage(m: JanusReply): void {
    if (m.janus === 'webrtcup' && typeof m.sender === 'number') {
      this.webrtcUp.get(m.sender)?.();
      return;
    }
    if (m.janus === 'trickle' && typeof m.sender === 'number') {
      const c = m.candidate;
      if (c?.candidate) this.trickles.get(m.sender)?.(c.sdpMLineIndex ?? 0, c.candidate);
      return;
    }
    const p = m.transaction === undefined ? undefined : this.pending.get(m.transaction);
    if (!p || (m.janus === 'ack' && !p.ackOnly)) return;
    this.pending.delete(m.transaction as string);
    const pluginError = m.plugindata?.data?.error;
    if (m.janus === 'error' || pluginError !== undefined) {
      p.fail(new Error(`Janus: ${JSON.stringify(m).slice(0, 300)}`));
    } else p.ok(m);
  }

  request(body: Record<string, unknown>, ackOnly = false): Promise<JanusReply> {
    return new Promise((ok, fail) => {
      const transaction = `g${++this.next}`;
      this.pending.set(transaction, { ok, fail, ackOnly });
      this.ws.send(JSON.stringify({ ...body, transaction }));
    });
  }

  /** A videoroom handle: `message` sends a plugin request (with a jsep) and waits for its event. */
  async attach(): Promise<JanusHandle> {
    this.handles++;
    const reply = await this.request({
      janus: 'attach',
      session_id: this.session,
      plugin: 'janus.plugin.videoroom',
    });
    return new JanusHandle(this, this.session, reply.data?.id ?? 0);
  }

  /** Resolves when Janus reports the handle's PeerConnection up (ICE and DTLS done). */
  whenUp(handle: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`Janus did not report handle ${handle}'s PeerConnection up in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.webrtcUp.set(handle, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  onTrickle(handle: number, to: (mline: number, candidate: string) => void): void {
    this.trickles.set(handle, to);
  }

  close(): void {
    clearInterval(this.keepalive);
    this.ws.close();
  }
}

export class JanusHandle {
  constructor(
    readonly channel: JanusChannel,
    private readonly session: number,
    readonly id: number,
  ) {}

  message(body: Record<string, unknown>, jsep?: { type: string; sdp: string }): Promise<JanusReply> {
    return this.channel.request({
      janus: 'message',
      session_id: this.session,
      handle_id: this.id,
      body,
      ...(jsep ? { jsep } : {}),
    });
  }

  trickle(c: LocalCandidate): void {
    const candidate =
      c.candidate === null ? { completed: true } : { candidate: c.candidate, sdpMLineIndex: c.mline ?? 0 };
    this.channel
      .request({ janus: 'trickle', session_id: this.session, handle_id: this.id, candidate }, true)
      .catch(() => {});
  }
}

/**
 * Local candidates arrive from the generator before its description has reached Janus (webrtcbin
 * gathers as soon as it sets the local description): hold them until `open()`.
 */
function candidateGate(handle: JanusHandle) {
  let held: LocalCandidate[] | null = [];
  return {
    push: (c: LocalCandidate) => (held ? held.push(c) : handle.trickle(c)),
    open: () => {
      for (const c of held ?? []) handle.trickle(c);
      held = null;
    },
  };
}

/** Publish the generator's `kind` stream as feed `feedId` of `room`. */
export async function publishFeed(
  peers: GstPeers,
  channel: JanusChannel,
  opts: { id: string; kind: MediaKind; room: number; feedId: number },
): Promise<void> {
  const handle = await channel.attach();
  const up = channel.whenUp(handle.id, 30_000);
  const gate = candidateGate(handle);
  const offer = await peers.publish(opts.id, opts.kind, gate.push);
  await handle.message({ request: 'join', ptype: 'publisher', room: opts.room, id: opts.feedId });
  const reply = await handle.message(
    { request: 'configure', audio: opts.kind === 'audio', video: opts.kind === 'video' },
    { type: 'offer', sdp: offer },
  );
  if (!reply.jsep) throw new Error(`Janus answered the publisher without an SDP: ${JSON.stringify(reply)}`);
  peers.answer(opts.id, reply.jsep.sdp);
  gate.open();
  // Janus lists the feed to subscribers only once its PeerConnection is up.
  await up;
}

/** Subscribe one more generator peer to `feed`; `probe` samples its delay. */
export async function subscribeFeed(
  peers: GstPeers,
  channel: JanusChannel,
  opts: { id: string; kind: MediaKind; room: number; feed: number; probe: boolean },
): Promise<void> {
  const handle = await channel.attach();
  channel.onTrickle(handle.id, (mline, candidate) => peers.addCandidate(opts.id, mline, candidate));
  const joined = await handle.message({
    request: 'join',
    ptype: 'subscriber',
    room: opts.room,
    streams: [{ feed: opts.feed }],
  });
  if (!joined.jsep) throw new Error(`Janus offered no SDP to the subscriber: ${JSON.stringify(joined)}`);
  const gate = candidateGate(handle);
  const answer = await peers.subscribe(opts.id, opts.kind, joined.jsep.sdp, opts.probe, gate.push);
  await handle.message({ request: 'start' }, { type: 'answer', sdp: answer });
  gate.open();
}
