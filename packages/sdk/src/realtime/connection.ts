import {
  CloseReason,
  Operations,
  PROTOCOL_VERSION,
  type ClientFrame,
  type HelloFrame,
  type OpName,
  type OpRequest,
  type OpResponse,
  type ServerFrame,
} from '@zhixin/protocol';
import { TypedEmitter, type Listener, type Unsubscribe } from '../emitter.ts';
import { ZhixinError } from '../errors.ts';
import { systemTimers, type TimerHandle, type Timers } from '../platform/timers.ts';
import {
  globalWebSocket,
  WS_OPEN,
  type WebSocketConstructor,
  type WebSocketLike,
} from '../platform/websocket.ts';
import { closeReasonOf, parseServerFrame } from './frames.ts';
import { Heartbeat } from './heartbeat.ts';
import { afterLoss, type Loss } from './loss.ts';
import { PendingRequests } from './pending-requests.ts';
import { ExponentialBackoffPolicy, type ReconnectPolicy } from './reconnect-policy.ts';
import type { ConnectionState, ConnectionStateChange, RealtimeEvents, RealtimeOptions } from './types.ts';

export type {
  ConnectionState,
  ConnectionStateChange,
  RealtimeAuth,
  RealtimeEvents,
  RealtimeOptions,
} from './types.ts';

const NOOP = (): void => {};

/**
 * The WebSocket link to the server: authenticates, correlates requests with responses, pings, and
 * reconnects by its {@link ReconnectPolicy} until closed, logged out or refused.
 *
 * `connect()` fails fast when the first attempt fails; once connected, drops are retried.
 * `unauthenticated` triggers one token refresh and an immediate retry; `session_revoked`,
 * a refused refresh and `client_too_old` stop it for good.
 *
 * @example
 * const rt = new RealtimeConnection({ url: 'wss://im.example/ws', auth, WebSocket });
 * rt.on('event', (frame) => console.log(frame.event));
 * await rt.connect();
 * const me = await rt.request('users.me', {});
 */
export class RealtimeConnection {
  private readonly emitter = new TypedEmitter<RealtimeEvents>();
  private readonly timers: Timers;
  private readonly policy: ReconnectPolicy;
  private readonly pending: PendingRequests;
  private readonly heartbeat: Heartbeat;
  private waiters: { resolve(h: HelloFrame): void; reject(e: unknown): void }[] = [];
  private current: ConnectionState = 'disconnected';
  private socket: WebSocketLike | undefined;
  /** Bumped for every socket and by close(): callbacks of an older generation are ignored. */
  private generation = 0;
  private wanted = false;
  private everConnected = false;
  private refreshedSinceHello = false;
  private attempt = 0;
  private hello: HelloFrame | undefined;
  /** The last `hello` said the server drives the heartbeat: it pings, we answer and watch. */
  private serverBeats = false;
  private clockOffset = 0;
  private byeReason: string | undefined;
  private preHelloError: ZhixinError | undefined;
  private connectTimer: TimerHandle | undefined;
  private reconnectTimer: TimerHandle | undefined;

  constructor(private readonly opts: RealtimeOptions) {
    this.timers = opts.timers ?? systemTimers;
    this.policy = opts.reconnectPolicy ?? new ExponentialBackoffPolicy();
    this.pending = new PendingRequests(this.timers);
    this.heartbeat = new Heartbeat(
      this.timers,
      (t) => this.send({ type: 'ping', t }),
      (ms) =>
        this.lose({ reason: CloseReason.HeartbeatTimeout, error: ZhixinError.timeout('heartbeat', ms) }),
    );
  }

  /** @example rt.on('state', ({ state }) => render(state)); */
  on<K extends keyof RealtimeEvents>(event: K, listener: Listener<RealtimeEvents[K]>): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** The last `hello` (who we are, heartbeat, server time). */
  get lastHello(): HelloFrame | undefined {
    return this.hello;
  }

  /** The server's clock, estimated from the last `hello`; undefined before the first. */
  serverNow(): number | undefined {
    return this.hello ? this.timers.now() + this.clockOffset : undefined;
  }

  /** Server time at which the link was last known to be alive (hello or pong): events sent before it arrived. */
  lastAliveServerTime(): number | undefined {
    return this.hello ? this.heartbeat.lastAliveAt + this.clockOffset : undefined;
  }

  /**
   * Connect and authenticate; resolves with the server's `hello`. While reconnecting, resolves at the
   * next `hello` and skips the remaining backoff wait.
   *
   * @example
   * const hello = await rt.connect();
   * console.log(hello.userId, hello.heartbeatMs);
   */
  connect(): Promise<HelloFrame> {
    if (!(this.opts.WebSocket ?? globalWebSocket())) {
      return Promise.reject(
        new TypeError("no WebSocket: pass the `ws` package's WebSocket in the options (Node 20)"),
      );
    }
    if (this.current === 'connected' && this.hello) return Promise.resolve(this.hello);
    const hello = new Promise<HelloFrame>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.wanted) {
      this.wanted = true;
      this.everConnected = false;
      this.refreshedSinceHello = false;
      this.attempt = 0;
      this.setState('connecting', {});
      void this.open();
    } else if (this.reconnectTimer !== undefined) {
      this.timers.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
      void this.open();
    }
    return hello;
  }

  /** Close for good (until the next `connect()`); pending requests fail with `CONNECTION_CLOSED`. @example rt.close(); */
  close(): void {
    const wasActive = this.wanted || this.socket !== undefined;
    this.wanted = false;
    this.generation++;
    this.teardown(ZhixinError.closed('client'));
    this.rejectWaiters(ZhixinError.closed('client'));
    if (wasActive || this.current !== 'disconnected') this.setState('disconnected', { reason: 'client' });
  }

  /**
   * Send an operation over the socket and wait for its `res` frame. Only operations marked `ws` in
   * the protocol travel here (others are refused with `UNKNOWN_OP` without sending).
   * Rejects with the server's error, `TIMEOUT`, or `CONNECTION_CLOSED` (not connected, or dropped).
   *
   * @example
   * const { messages } = await rt.request('messages.history', { conversationId, afterSeq: 0, limit: 50 });
   */
  request<N extends OpName>(
    op: N,
    body: OpRequest<N>,
    options: { timeoutMs?: number } = {},
  ): Promise<OpResponse<N>> {
    // Typed over every OpName: the protocol's WsOpName is checked here at run time instead.
    if (!Operations[op]?.ws)
      return Promise.reject(
        new ZhixinError('UNKNOWN_OP', `${op} is not a WebSocket operation`, { status: 0 }),
      );
    if (this.current !== 'connected' || !this.socket)
      return Promise.reject(ZhixinError.closed('not connected'));
    const timeoutMs = options.timeoutMs ?? this.opts.requestTimeoutMs ?? 15_000;
    const { id, response } = this.pending.add(op, timeoutMs);
    if (!this.send({ type: 'req', id, op, body }))
      this.pending.settle(id, undefined, ZhixinError.closed('send failed'));
    return response as Promise<OpResponse<N>>;
  }

  private async open(): Promise<void> {
    const gen = ++this.generation;
    this.byeReason = undefined;
    this.preHelloError = undefined;
    let token: string | undefined;
    try {
      if (this.opts.auth.isExpired?.() && !this.refreshedSinceHello) {
        await this.opts.auth.refresh();
        this.refreshedSinceHello = true;
      }
      token = await this.opts.auth.accessToken();
    } catch (err) {
      if (gen !== this.generation || !this.wanted) return;
      const e = ZhixinError.from(err);
      if (e.isAuthError() || e.status === 401) return this.fail(e, true);
      return this.handleLoss({ error: e });
    }
    if (gen !== this.generation || !this.wanted) return;
    if (!token) return this.fail(new ZhixinError('UNAUTHENTICATED', 'not logged in', { status: 0 }), false);
    const Ctor = (this.opts.WebSocket ?? globalWebSocket()) as WebSocketConstructor;
    let socket: WebSocketLike;
    try {
      socket = new Ctor(this.opts.url);
    } catch (err) {
      return this.handleLoss({ error: ZhixinError.network(err) });
    }
    this.socket = socket;
    const accessToken = token;
    let opened = false;
    socket.onerror = NOOP; // `ws` throws on an 'error' nobody listens to; the close that follows is what counts
    socket.onopen = () => {
      opened = true;
      if (gen === this.generation)
        this.send({
          type: 'auth',
          v: PROTOCOL_VERSION,
          accessToken,
          heartbeat: this.opts.heartbeat ?? 'server',
        });
    };
    socket.onmessage = (ev) => {
      if (gen === this.generation) this.onFrame(parseServerFrame(ev.data));
    };
    socket.onclose = (ev) => {
      if (gen !== this.generation) return;
      const error = opened
        ? undefined
        : ZhixinError.network(new Error(`could not open ${this.opts.url} (close code ${ev.code})`));
      this.lose({ reason: closeReasonOf(ev.code, ev.reason), code: ev.code, error });
    };
    const connectTimeoutMs = this.opts.connectTimeoutMs ?? 15_000;
    this.connectTimer = this.timers.setTimeout(() => {
      if (gen === this.generation) this.lose({ error: ZhixinError.timeout('connect', connectTimeoutMs) });
    }, connectTimeoutMs);
  }

  private onFrame(frame: ServerFrame | undefined): void {
    if (!frame) return;
    if (this.serverBeats) this.heartbeat.alive();
    switch (frame.type) {
      case 'hello':
        return this.onHello(frame);
      case 'res':
        if (frame.ok) this.pending.settle(frame.id, frame.body);
        else this.pending.settle(frame.id, undefined, ZhixinError.fromBody({ error: frame.error }));
        return;
      case 'event':
        if (this.current === 'connected') this.emitter.emit('event', frame);
        return;
      case 'pong':
        this.heartbeat.pong();
        return;
      case 'ping':
        // The server drives the heartbeat: answer at once (the usual bytes, which it reads unparsed).
        this.send(frame.t === undefined ? { type: 'pong' } : { type: 'pong', t: frame.t });
        return;
      case 'error': {
        if (this.current === 'connected') return;
        // Before hello, an error frame is the answer to `auth`: act on the ones that decide what to do next.
        const err = ZhixinError.fromBody({ error: frame.error });
        this.preHelloError = err;
        if (err.isAuthError() || err.code === 'UNSUPPORTED_PROTOCOL') this.lose({ error: err });
        return;
      }
      case 'bye':
        this.byeReason = frame.reason;
        return this.lose({ reason: frame.reason });
    }
  }

  private onHello(frame: HelloFrame): void {
    if (this.current === 'connected') return;
    const now = this.timers.now();
    this.timers.clearTimeout(this.connectTimer);
    this.hello = frame;
    this.clockOffset = frame.serverTime - now;
    this.attempt = 0;
    this.everConnected = true;
    this.refreshedSinceHello = false;
    this.serverBeats = frame.heartbeat === 'server';
    if (this.serverBeats) this.heartbeat.watch(frame.heartbeatMs);
    else this.heartbeat.start(frame.heartbeatMs);
    this.setState('connected', {});
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve(frame);
    this.emitter.emit('hello', frame);
  }

  /** The socket is gone (closed, bye, timeout): clean up, then decide whether and how to come back. */
  private lose(info: { reason?: string; code?: number; error?: ZhixinError }): void {
    this.generation++;
    const reason = this.byeReason ?? info.reason;
    const error =
      info.error ??
      this.preHelloError ??
      ZhixinError.closed(reason ?? (info.code ? `code ${info.code}` : undefined));
    this.teardown(ZhixinError.closed(reason));
    this.handleLoss({ reason, error });
  }

  private handleLoss(loss: Loss): void {
    if (!this.wanted) return;
    const next = afterLoss(loss, this.everConnected);
    switch (next.kind) {
      case 'fail':
        return this.fail(next.error, next.authLost);
      case 'refresh':
        void this.recoverAuth(next.error);
        return;
      case 'reconnect':
        return this.scheduleReconnect(next.error, next.reason);
    }
  }

  /** Refresh the token once and retry at once; a second refusal, or a refused refresh, loses the session. */
  private async recoverAuth(error: ZhixinError): Promise<void> {
    if (this.refreshedSinceHello) return this.fail(error, true);
    if (this.everConnected) this.setState('reconnecting', { error, attempt: this.attempt + 1, delayMs: 0 });
    const gen = this.generation;
    try {
      await this.opts.auth.refresh();
    } catch (err) {
      if (gen !== this.generation || !this.wanted) return;
      const e = ZhixinError.from(err);
      if (e.isAuthError() || e.status === 401) return this.fail(e, true);
      if (!this.everConnected) return this.fail(e, false);
      return this.scheduleReconnect(e);
    }
    // Only a refresh that worked counts: one that failed for lack of network is tried again.
    this.refreshedSinceHello = true;
    if (gen === this.generation && this.wanted) void this.open();
  }

  private scheduleReconnect(error: ZhixinError, reason?: string): void {
    const delayMs = this.policy.nextDelayMs({ attempt: this.attempt, error });
    if (delayMs === null) return this.fail(error, false);
    this.attempt++;
    this.setState('reconnecting', { error, reason, attempt: this.attempt, delayMs });
    const gen = this.generation;
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (gen === this.generation && this.wanted) void this.open();
    }, delayMs);
  }

  /** Stop for good and tell the waiters why. */
  private fail(error: ZhixinError, authLost: boolean): void {
    this.wanted = false;
    this.generation++;
    this.teardown(error);
    this.rejectWaiters(error);
    this.setState('disconnected', { error, reason: this.byeReason });
    if (authLost) this.emitter.emit('auth.lost', error);
  }

  private teardown(pendingError: ZhixinError): void {
    this.timers.clearTimeout(this.connectTimer);
    this.heartbeat.stop();
    this.timers.clearTimeout(this.reconnectTimer);
    this.connectTimer = this.reconnectTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      try {
        socket.close(1000);
      } catch {
        // Already closing.
      }
    }
    this.pending.failAll(pendingError);
  }

  private rejectWaiters(error: unknown): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
  }

  private send(frame: ClientFrame): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== WS_OPEN) return false;
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  private setState(state: ConnectionState, extra: Omit<ConnectionStateChange, 'state' | 'previous'>): void {
    const previous = this.current;
    if (previous === state && state !== 'reconnecting') return;
    this.current = state;
    this.emitter.emit('state', { state, previous, ...extra });
  }
}
