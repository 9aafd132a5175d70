import { ZhixinError, SdkErrorCode } from '../errors.ts';
import { TypedEmitter, type Listener, type Unsubscribe } from '../emitter.ts';
import { systemTimers, type Timers } from '../platform/timers.ts';
import { frameText, globalWebSocket, WS_OPEN, type WebSocketLike } from '../platform/websocket.ts';

/** A Janus API message (the `janus` field names the verb: create, attach, message, trickle, ...). */
export interface JanusMessage {
  janus: string;
  transaction?: string;
  session_id?: number;
  handle_id?: number;
  sender?: number;
  [key: string]: unknown;
}

/** A browser-style WebSocket constructor that also takes subprotocols. */
export type ProtocolWebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface JanusChannelOptions {
  /** The proxy's WebSocket URL, grant included (see `mediaChannelUrl`). */
  url: string;
  /** Default `globalThis.WebSocket`. */
  WebSocket?: ProtocolWebSocketConstructor;
  /** The WebSocket subprotocol to ask for; default none (the proxy speaks `janus-protocol` upstream). */
  protocol?: string;
  timers?: Timers;
  /** Per request; default 15 s. */
  requestTimeoutMs?: number;
}

export interface JanusChannelEvents {
  /** A message that answers no pending request: plugin events, webrtcup, media, hangup, talking... */
  message: JanusMessage;
  /** The socket closed (by either side); every pending request has failed with CONNECTION_CLOSED. */
  closed: { code: number; reason: string };
}

/** How a request is answered: Janus acks some (trickle, keepalive, plugin messages) before (or instead of) the result. */
export type JanusAnswer = 'ack' | 'result';

interface Pending {
  answer: JanusAnswer;
  resolve(message: JanusMessage): void;
  reject(err: ZhixinError): void;
  timer: unknown;
}

/**
 * The absolute WebSocket URL of a media grant's `wsUrl` (`/janus?grant=...`, or already absolute)
 * for a server base URL.
 *
 * @example
 * mediaChannelUrl('https://im.example', '/janus?grant=g.abc'); // 'wss://im.example/janus?grant=g.abc'
 */
export function mediaChannelUrl(baseUrl: string, wsUrl: string): string {
  if (/^wss?:\/\//i.test(wsUrl)) return wsUrl;
  const absolute = /^https?:\/\//i.test(wsUrl) ? wsUrl : new URL(wsUrl, baseUrl).toString();
  return absolute.replace(/^http(s?):\/\//i, (_, s: string) => (s ? 'wss://' : 'ws://'));
}

function parse(data: unknown): JanusMessage | undefined {
  const text = frameText(data);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { janus?: unknown }).janus === 'string'
    )
      return value as JanusMessage;
  } catch {
    // Not JSON: nothing to act on.
  }
  return undefined;
}

/** The error a Janus `error` answer (or a plugin's `error_code`) carries. */
export function janusError(message: JanusMessage): ZhixinError | undefined {
  const error = message.error as { code?: number; reason?: string } | undefined;
  if (message.janus === 'error' && error)
    return new ZhixinError('MEDIA_ERROR', error.reason ?? 'media server error', {
      status: 0,
      details: { janusCode: error.code },
    });
  const data = (message.plugindata as { data?: { error_code?: number; error?: string } } | undefined)?.data;
  if (data?.error_code !== undefined)
    return new ZhixinError('MEDIA_ERROR', data.error ?? 'media plugin error', {
      status: 0,
      details: { janusCode: data.error_code },
    });
  return undefined;
}

/**
 * A JSON channel to the media server (Janus, through our `/janus` proxy with a room-scoped grant):
 * each request gets a transaction id and its promise settles with the answer that carries it; every
 * other frame (plugin events, `webrtcup`, `hangup`...) is emitted as `message`.
 *
 * @example
 * const channel = await JanusChannel.open({ url: mediaChannelUrl(location.origin, media.wsUrl), protocol: 'janus-protocol' });
 * const { data } = await channel.request({ janus: 'create' });
 * channel.on('message', (m) => console.log(m.janus));
 */
export class JanusChannel {
  private readonly emitter = new TypedEmitter<JanusChannelEvents>();
  private readonly pending = new Map<string, Pending>();
  private readonly timers: Timers;
  private readonly timeoutMs: number;
  private nextId = 0;
  private isClosed = false;

  private constructor(
    private readonly socket: WebSocketLike,
    options: JanusChannelOptions,
  ) {
    this.timers = options.timers ?? systemTimers;
    this.timeoutMs = options.requestTimeoutMs ?? 15_000;
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => this.shut(event.code, event.reason);
  }

  /** Open the socket; rejects with CONNECTION_CLOSED if it cannot be opened (bad or expired grant, proxy down). */
  static open(options: JanusChannelOptions): Promise<JanusChannel> {
    const Ctor = options.WebSocket ?? (globalWebSocket() as ProtocolWebSocketConstructor | undefined);
    if (!Ctor)
      return Promise.reject(
        new ZhixinError(SdkErrorCode.Closed, 'no WebSocket in this runtime', { status: 0 }),
      );
    const socket = options.protocol ? new Ctor(options.url, options.protocol) : new Ctor(options.url);
    return new Promise((resolve, reject) => {
      socket.onopen = () => resolve(new JanusChannel(socket, options));
      socket.onerror = () => undefined;
      socket.onclose = (event) =>
        reject(
          new ZhixinError(SdkErrorCode.Closed, `media channel refused (${event.code} ${event.reason})`, {
            status: 0,
            details: { code: event.code, reason: event.reason },
          }),
        );
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  on<K extends keyof JanusChannelEvents>(event: K, listener: Listener<JanusChannelEvents[K]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /**
   * Send a request and wait for its answer: `'result'` (default) waits past Janus's `ack` for the
   * `success`/`event` that carries the same transaction; `'ack'` settles on the ack (trickle, keepalive).
   * A Janus `error` (or a plugin `error_code`) rejects with MEDIA_ERROR.
   */
  request(message: JanusMessage, answer: JanusAnswer = 'result'): Promise<JanusMessage> {
    if (this.isClosed || this.socket.readyState !== WS_OPEN)
      return Promise.reject(
        new ZhixinError(SdkErrorCode.Closed, 'the media channel is closed', { status: 0 }),
      );
    const transaction = `t${++this.nextId}`;
    const response = new Promise<JanusMessage>((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(transaction);
        reject(ZhixinError.timeout(`janus ${message.janus}`, this.timeoutMs));
      }, this.timeoutMs);
      this.pending.set(transaction, { answer, resolve, reject, timer });
    });
    this.socket.send(JSON.stringify({ ...message, transaction }));
    return response;
  }

  /** Send without waiting for anything. */
  send(message: JanusMessage): void {
    if (this.isClosed || this.socket.readyState !== WS_OPEN) return;
    this.socket.send(JSON.stringify({ ...message, transaction: message.transaction ?? `n${++this.nextId}` }));
  }

  close(): void {
    if (this.isClosed) return;
    this.socket.close(1000, 'done');
    this.shut(1000, 'done');
  }

  private receive(data: unknown): void {
    const message = parse(data);
    if (!message) return;
    const pending = message.transaction ? this.pending.get(message.transaction) : undefined;
    if (!pending || (message.janus === 'ack' && pending.answer === 'result')) {
      if (message.janus !== 'ack') this.emitter.emit('message', message);
      return;
    }
    this.pending.delete(message.transaction as string);
    this.timers.clearTimeout(pending.timer);
    const error = janusError(message);
    if (error) pending.reject(error);
    else pending.resolve(message);
  }

  private shut(code: number, reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const error = new ZhixinError(SdkErrorCode.Closed, 'the media channel closed', { status: 0 });
    for (const [id, p] of this.pending) {
      this.timers.clearTimeout(p.timer);
      p.reject(error);
      this.pending.delete(id);
    }
    this.emitter.emit('closed', { code, reason });
  }
}
