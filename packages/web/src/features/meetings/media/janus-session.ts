import type { JanusChannel, JanusMessage } from '@zhixin/sdk';

export const VIDEOROOM = 'janus.plugin.videoroom';
const KEEPALIVE_MS = 25_000;

/** What a plugin event carries: the plugin's data and, for offers/answers, a session description. */
export interface PluginEvent {
  data: Record<string, unknown>;
  jsep?: RTCSessionDescriptionInit;
}

export interface HandleListener {
  /** A plugin event not answering a request (new publishers, talking, kicked, ...). */
  event?(event: PluginEvent): void;
  /** The PeerConnection of this handle is up (`webrtcup`) or went down (`hangup`). */
  media?(state: 'up' | 'down', reason?: string): void;
  /** The media server forgot this handle (detached, session timeout, channel closed). */
  gone?(): void;
}

function pluginEvent(message: JanusMessage): PluginEvent {
  const plugindata = message.plugindata as { data?: Record<string, unknown> } | undefined;
  return { data: plugindata?.data ?? {}, jsep: message.jsep as RTCSessionDescriptionInit | undefined };
}

/** One plugin handle of a Janus session: a publisher, a subscriber or a screen share. */
export class JanusHandle {
  listener: HandleListener = {};

  constructor(
    private readonly session: JanusSession,
    readonly id: number,
  ) {}

  /** Send a plugin request and wait for the plugin's answer (its `event` or synchronous `success`). */
  async message(body: Record<string, unknown>, jsep?: RTCSessionDescriptionInit): Promise<PluginEvent> {
    const answer = await this.session.channel.request({
      janus: 'message',
      session_id: this.session.id,
      handle_id: this.id,
      body,
      ...(jsep ? { jsep: { type: jsep.type, sdp: jsep.sdp } } : {}),
    });
    return pluginEvent(answer);
  }

  /** Hand Janus a local ICE candidate (or the end of candidates). Janus only acks these. */
  trickle(candidate: RTCIceCandidate | null): void {
    const body = candidate
      ? {
          candidate: {
            candidate: candidate.candidate,
            sdpMid: candidate.sdpMid,
            sdpMLineIndex: candidate.sdpMLineIndex,
          },
        }
      : { candidate: { completed: true } };
    this.session.channel
      .request({ janus: 'trickle', session_id: this.session.id, handle_id: this.id, ...body }, 'ack')
      .catch(() => undefined);
  }

  async detach(): Promise<void> {
    this.session.forget(this.id);
    if (this.session.channel.closed) return;
    await this.session.channel
      .request({ janus: 'detach', session_id: this.session.id, handle_id: this.id })
      .catch(() => undefined);
  }

  /** Route a message addressed to this handle. */
  dispatch(message: JanusMessage): void {
    switch (message.janus) {
      case 'event':
        this.listener.event?.(pluginEvent(message));
        return;
      case 'webrtcup':
        this.listener.media?.('up');
        return;
      case 'hangup':
        this.listener.media?.('down', typeof message.reason === 'string' ? message.reason : undefined);
        return;
      case 'detached':
        this.listener.gone?.();
        return;
      default:
        return;
    }
  }
}

/** A Janus session over our proxy channel: keeps itself alive and routes events to its handles. */
export class JanusSession {
  private readonly handles = new Map<number, JanusHandle>();
  private keepalive: ReturnType<typeof setInterval> | undefined;
  private closedListeners: Array<() => void> = [];

  private constructor(
    readonly channel: JanusChannel,
    readonly id: number,
  ) {
    this.keepalive = setInterval(() => {
      channel.request({ janus: 'keepalive', session_id: id }, 'ack').catch(() => undefined);
    }, KEEPALIVE_MS);
    channel.on('message', (m) => this.route(m));
    channel.on('closed', () => this.shut());
  }

  static async create(channel: JanusChannel): Promise<JanusSession> {
    const answer = await channel.request({ janus: 'create' });
    const id = (answer.data as { id?: number } | undefined)?.id;
    if (typeof id !== 'number') throw new Error('the media server did not create a session');
    return new JanusSession(channel, id);
  }

  async attach(plugin = VIDEOROOM): Promise<JanusHandle> {
    const answer = await this.channel.request({ janus: 'attach', session_id: this.id, plugin });
    const id = (answer.data as { id?: number } | undefined)?.id;
    if (typeof id !== 'number') throw new Error('the media server did not attach a handle');
    const handle = new JanusHandle(this, id);
    this.handles.set(id, handle);
    return handle;
  }

  forget(handleId: number): void {
    this.handles.delete(handleId);
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  /** Leave: destroy the session and close the channel. */
  async destroy(): Promise<void> {
    if (!this.channel.closed)
      await this.channel.request({ janus: 'destroy', session_id: this.id }).catch(() => undefined);
    this.channel.close();
    this.shut();
  }

  private route(message: JanusMessage): void {
    if (message.janus === 'timeout') {
      this.channel.close();
      return;
    }
    const handle = message.sender !== undefined ? this.handles.get(message.sender) : undefined;
    handle?.dispatch(message);
  }

  private shut(): void {
    if (this.keepalive === undefined) return;
    clearInterval(this.keepalive);
    this.keepalive = undefined;
    for (const handle of this.handles.values()) handle.listener.gone?.();
    this.handles.clear();
    const listeners = this.closedListeners;
    this.closedListeners = [];
    for (const l of listeners) l();
  }
}
