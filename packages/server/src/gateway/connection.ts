import {
  CloseCode,
  CloseReason,
  Operations,
  PROTOCOL_VERSION,
  type AuthFrame,
  type OpName,
  type RequestFrame,
  type ServerFrame,
} from '@zhixin/protocol';
import type { Config } from '../config.ts';
import type { OperationRegistry } from '../http/operations.ts';
import type { Authenticator, CallContext, Principal } from '../http/principal.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import {
  encodeFrame,
  isPlainPong,
  parseClientFrame,
  idOfParsed,
  refusedRequestId,
  toWsError,
  wsError,
  type ParsedFrame,
} from './frames.ts';
import { beatStep, SERVER_PING } from './heartbeat.ts';
import { TokenBucket } from './rate-limit.ts';
import { OPEN, type SocketAdapter } from './socket.ts';
import type { TimerWheel, WheelEntry } from './timer-wheel.ts';

/** What a connection needs from its gateway. */
export interface ConnectionHost {
  readonly settings: Config['gateway'];
  readonly nodeId: string;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly ops: OperationRegistry;
  authenticator(): Authenticator;
  /** Remembers which connection made a call (presence.query subscribes it to changes). */
  readonly callers: WeakMap<CallContext, Connection>;
  /** Milliseconds a closing socket gets to finish the closing handshake before it is dropped. */
  readonly closeGraceMs: number;
  /** The gateway's one wheel for every connection's heartbeat and auth deadline (no timer each). */
  readonly wheel: TimerWheel<Connection>;
  /** settings.heartbeatSeconds and authTimeoutSeconds in ticks of the wheel. */
  readonly heartbeatTicks: number;
  readonly authTimeoutTicks: number;
  onAuthenticated(conn: Connection): void;
  /** The gateway is closing this connection for `reason` (once, before onClosed). */
  onClosing(conn: Connection, reason: CloseReason): void;
  /** The connection is closing or closed, authenticated or not; called once. */
  onClosed(conn: Connection): void;
}

/** Frames that may arrive while the token is being checked (clients pipeline auth + requests). */
const MAX_QUEUED_DURING_AUTH = 32;
/** Requests of one connection running at once; more are refused rather than queued. */
const MAX_IN_FLIGHT = 64;
/** Ops one connection runs in arrival order: they append to conversations. */
const ORDERED_OPS: ReadonlySet<string> = new Set(['messages.send', 'messages.forward']);

type State = 'auth' | 'verifying' | 'open' | 'closed';

let nextConnectionId = 1;

/**
 * One client connection: the auth handshake, request dispatch, heartbeats and back-pressure.
 * Everything it writes goes through `sendText`, which drops a slow consumer instead of buffering.
 */
export class Connection implements WheelEntry {
  readonly id = nextConnectionId++;
  principal: Principal | null = null;
  /** Users whose presence changes this connection receives (presence.query); made on first use. */
  watching: Set<string> | null = null;
  wheelPrev: WheelEntry | null = null;
  wheelNext: WheelEntry | null = null;
  wheelDue = -1;
  private state: State = 'auth';
  private readonly bucket: TokenBucket;
  /** Frames that came while the token was being checked; made only then. */
  private queued: ParsedFrame[] | null = null;
  private inFlight = 0;
  /** The last queued ordered request (messages.send, messages.forward); null when none is pending. */
  private ordered: Promise<void> | null = null;
  private missedPongs = 0;
  /**
   * A frame came from the peer since the last heartbeat: it is alive, so that heartbeat sends no
   * ping (a client that pings us each period costs one frame each way, not two round trips).
   */
  private heard = false;
  /**
   * The client asked for server-driven heartbeats (`auth.heartbeat: 'server'`): a quiet client gets
   * a `{"type":"ping"}` text frame each beat instead of a protocol ping, and pings no more itself.
   * The beats of one wheel tick leave together and their pongs come back together, so a worker
   * wakes once for many clients instead of once per client ping.
   */
  private serverPings = false;
  /** Wheel ticks: when the auth frame must have been answered, when the next ping is due. */
  private readonly authDeadline: number;
  private nextBeat: number;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: SocketAdapter,
    readonly ip: string,
    private readonly host: ConnectionHost,
  ) {
    this.bucket = new TokenBucket(host.settings.maxRequestsPerSecond);
    const now = host.wheel.tick;
    this.authDeadline = now + host.authTimeoutTicks;
    this.nextBeat = now + host.heartbeatTicks;
    host.wheel.schedule(this, Math.min(host.authTimeoutTicks, host.heartbeatTicks));
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** A frame from the peer. */
  handleMessage(data: Buffer | string, isBinary: boolean): void {
    if (this.state === 'closed') return;
    this.host.metrics.wsFramesIn.inc();
    this.missedPongs = 0;
    // The answer to our own ping proves the link, but it is no sign of a client that is talking:
    // were it counted as one, the next beat would skip its ping, and pings would come every other
    // beat. The usual pong is recognised without parsing (one per client per beat).
    const plainPong = !isBinary && typeof data !== 'string' && isPlainPong(data);
    if (!this.bucket.take()) {
      this.heard = true;
      this.sendError(
        wsError('RATE_LIMITED', { retryAfterMs: this.bucket.retryAfterMs() }),
        refusedRequestId(data, isBinary),
      );
      return;
    }
    if (plainPong && this.state === 'open') return;
    const parsed: ParsedFrame = isBinary
      ? { kind: 'invalid', error: wsError('BAD_REQUEST', { reason: 'binary frames are not supported' }) }
      : parseClientFrame(typeof data === 'string' ? data : data.toString('utf8'));
    if (parsed.kind !== 'pong') this.heard = true;
    if (this.state === 'verifying') {
      this.queued ??= [];
      if (this.queued.length < MAX_QUEUED_DURING_AUTH) this.queued.push(parsed);
      else this.answerInvalid(parsed, wsError('RATE_LIMITED', { reason: 'wait for hello' }));
      return;
    }
    this.dispatch(parsed);
  }

  /** A protocol ping from the client: answered within the same request rate as its frames. */
  handlePing(): boolean {
    return this.state !== 'closed' && this.bucket.take();
  }

  /** The peer answered a protocol ping. */
  handlePong(): void {
    this.missedPongs = 0;
  }

  /** The socket is gone (closed by either side). */
  handleClosed(): void {
    clearTimeout(this.graceTimer);
    this.finish();
  }

  /**
   * Write one serialized frame, unless the peer is not reading: past maxBufferedBytes of unsent
   * data the connection is closed as a slow consumer, so a stuck client cannot exhaust memory.
   */
  sendText(text: string | Buffer): boolean {
    if (this.state === 'closed' || this.socket.readyState !== OPEN) return false;
    if (this.socket.bufferedAmount > this.host.settings.maxBufferedBytes) {
      this.host.metrics.wsSlowConsumers.inc();
      this.host.log.warn(
        { conn: this.id, user: this.principal?.userId, buffered: this.socket.bufferedAmount },
        'slow consumer dropped',
      );
      this.close(CloseReason.SlowConsumer);
      return false;
    }
    this.socket.send(text);
    return true;
  }

  send(frame: ServerFrame): boolean {
    return this.sendText(encodeFrame(frame));
  }

  /** Say why in a `bye` frame (unless the peer cannot read it), close, and drop the socket if it lingers. */
  close(reason: CloseReason): void {
    if (this.state === 'closed') return;
    if (reason !== CloseReason.SlowConsumer && reason !== CloseReason.HeartbeatTimeout) {
      this.send({ type: 'bye', reason });
      // The bye itself found a slow consumer, which closed the connection already (and counted it).
      if (this.isClosed) return;
    }
    this.host.onClosing(this, reason);
    this.finish();
    try {
      this.socket.close(CloseCode[reason], reason);
    } catch {
      this.socket.terminate();
    }
    this.graceTimer = setTimeout(
      () => this.socket.terminate(),
      reason === CloseReason.HeartbeatTimeout ? 0 : this.host.closeGraceMs,
    );
    this.graceTimer.unref();
  }

  /** Leave the wheel and the gateway (once); the grace timer outlives it on purpose. */
  private finish(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.host.wheel.cancel(this);
    this.queued = null;
    this.host.onClosed(this);
  }

  /** The wheel reached this connection's deadline: the auth timeout, or the next heartbeat. */
  onWheel(): void {
    if (this.state === 'closed') return;
    const now = this.host.wheel.tick;
    const authenticating = this.state !== 'open';
    if (authenticating && now >= this.authDeadline) {
      this.close(CloseReason.AuthTimeout);
      return;
    }
    if (now >= this.nextBeat) {
      this.nextBeat = now + this.host.heartbeatTicks;
      this.heartbeat();
      if (this.isClosed) return;
    }
    const due = authenticating ? Math.min(this.authDeadline, this.nextBeat) : this.nextBeat;
    this.host.wheel.schedule(this, due - now);
  }

  private heartbeat(): void {
    const step = beatStep(this.heard, this.missedPongs);
    this.heard = false;
    if (step === 'heard') return;
    if (step === 'timeout') {
      this.close(CloseReason.HeartbeatTimeout);
      return;
    }
    this.missedPongs++;
    if (this.serverPings) {
      this.sendText(SERVER_PING);
      return;
    }
    try {
      this.socket.ping();
    } catch {
      // The socket is already closing; its close event finishes the connection.
    }
  }

  private dispatch(parsed: ParsedFrame): void {
    if (parsed.kind === 'ping') {
      this.send({ type: 'pong', ...(parsed.frame.t === undefined ? {} : { t: parsed.frame.t }) });
      return;
    }
    if (this.state === 'auth') {
      if (parsed.kind === 'auth') void this.authenticate(parsed.frame);
      else this.answerInvalid(parsed, wsError('UNAUTHENTICATED', { reason: 'the first frame must be auth' }));
      return;
    }
    switch (parsed.kind) {
      case 'pong':
        // The answer to our ping (written some other way than the usual bytes): missedPongs is reset.
        return;
      case 'auth':
        this.sendError(wsError('BAD_REQUEST', { reason: 'already authenticated' }));
        return;
      case 'req':
        this.admit(parsed.frame);
        return;
      case 'invalid':
        this.sendError(parsed.error, parsed.id);
        return;
    }
  }

  private answerInvalid(parsed: ParsedFrame, error: ReturnType<typeof wsError>): void {
    this.sendError(parsed.kind === 'invalid' ? parsed.error : error, idOfParsed(parsed));
  }

  private sendError(error: ReturnType<typeof wsError>, id?: string): void {
    if (id === undefined) this.send({ type: 'error', error });
    else this.send({ type: 'res', id, ok: false, error });
  }

  private async authenticate(frame: AuthFrame): Promise<void> {
    if (frame.v < PROTOCOL_VERSION) {
      this.sendError(
        wsError('UNSUPPORTED_PROTOCOL', { serverVersion: PROTOCOL_VERSION, clientVersion: frame.v }),
      );
      this.close(CloseReason.ClientTooOld);
      return;
    }
    if (frame.v > PROTOCOL_VERSION) {
      // A client newer than the server: nothing to upgrade on the client side, so not client_too_old.
      this.sendError(
        wsError('UNSUPPORTED_PROTOCOL', { serverVersion: PROTOCOL_VERSION, clientVersion: frame.v }),
      );
      this.close(CloseReason.Unauthenticated);
      return;
    }
    this.state = 'verifying';
    let principal: Principal;
    try {
      principal = await this.host.authenticator().verifyAccessToken(frame.accessToken);
    } catch (err) {
      if (this.isClosed) return;
      this.sendError(toWsError(err, this.host.log, { conn: this.id, phase: 'auth' }));
      this.close(CloseReason.Unauthenticated);
      return;
    }
    if (this.isClosed) return;
    this.principal = principal;
    this.state = 'open';
    this.serverPings = frame.heartbeat === 'server';
    // The auth deadline no longer applies: wake next for the heartbeat only.
    this.host.wheel.schedule(this, this.nextBeat - this.host.wheel.tick);
    this.send({
      type: 'hello',
      v: PROTOCOL_VERSION,
      userId: principal.userId,
      sessionId: principal.sessionId,
      nodeId: this.host.nodeId,
      heartbeatMs: this.host.settings.heartbeatSeconds * 1000,
      ...(this.serverPings ? { heartbeat: 'server' as const } : {}),
      serverTime: Date.now(),
    });
    this.host.onAuthenticated(this);
    const queued = this.queued;
    this.queued = null;
    for (const parsed of queued ?? []) if (!this.isClosed) this.dispatch(parsed);
  }

  /**
   * Checks a request and starts it, or queues it behind the connection's earlier ordered ones: a
   * user's pipelined messages commit in the order they were sent (other ops run at once, answered
   * when done). Queued requests count as in flight, so the queue is bounded by MAX_IN_FLIGHT.
   */
  private admit(frame: RequestFrame): void {
    const { id, op } = frame;
    if (
      !Object.hasOwn(Operations, op) ||
      !Operations[op as keyof typeof Operations].ws ||
      !this.host.ops.has(op)
    ) {
      this.sendError(wsError('UNKNOWN_OP', { op }), id);
      return;
    }
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.sendError(
        wsError('RATE_LIMITED', { reason: 'too many requests in flight', max: MAX_IN_FLIGHT }),
        id,
      );
      return;
    }
    this.inFlight++;
    if (!ORDERED_OPS.has(op)) {
      void this.request(frame, op);
      return;
    }
    const run = (this.ordered ?? Promise.resolve()).then(() => this.request(frame, op));
    this.ordered = run;
    void run.then(() => {
      if (this.ordered === run) this.ordered = null;
    });
  }

  /** Runs an admitted request and answers it; never rejects. */
  private async request(frame: RequestFrame, op: OpName): Promise<void> {
    const { id } = frame;
    const ctx: CallContext = { principal: this.principal, ip: this.ip };
    this.host.callers.set(ctx, this);
    let text: string;
    try {
      const body = await this.host.ops.invoke(op, frame.body, ctx);
      text = encodeFrame({ type: 'res', id, ok: true, body });
    } catch (err) {
      text = encodeFrame({
        type: 'res',
        id,
        ok: false,
        error: toWsError(err, this.host.log, { conn: this.id, op }),
      });
    } finally {
      this.inFlight--;
    }
    this.sendText(text);
  }
}
