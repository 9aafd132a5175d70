/**
 * The connections of one load agent: raw TCP sockets speaking just enough WebSocket (frames.ts) and
 * Zhixin protocol (auth -> hello, req -> res, ping) to hold a session. Per connection there is one
 * socket object with a handful of fields; everything else lives in arrays indexed by slot, the
 * handlers are shared functions (no closure per connection), and one timer per pool drives both
 * heartbeats and connect timeouts.
 */
import {
  Opcode,
  acceptFor,
  encodeClose,
  encodePong,
  encodeText,
  newWebSocketKey,
  parseFrames,
  parseUpgradeResponse,
  upgradeRequest,
} from './frames.ts';
import {
  AUTH,
  CLOSING,
  Conn,
  CONNECTING,
  DONE,
  failureOfPhase,
  OPEN,
  UPGRADING,
  onClose,
  onConnect,
  onData,
  onError,
  type ConnOwner,
} from './conn.ts';
import { addSample, emptyFailures, errorKind, type FailureKind } from './failures.ts';
import { Histogram } from './histogram.ts';
import { helloHeartbeat, responseHead, serverTextKind } from './server-text.ts';
import { agentPorts, LocalPorts, type PortShare } from './local-ports.ts';
import type { FailureCounts } from './types.ts';

export interface PoolOptions {
  host: string;
  port: number;
  sourceAddresses: string[];
  /** Protocol pings per connection; default: the hello's heartbeatMs. */
  heartbeatMs?: number;
  /**
   * Who keeps the links alive, as the SDK's option: `server` (default; the server pings quiet
   * links and we answer, no pings of ours) or `client` (we ping every heartbeatMs, the SDK before
   * 2026-11-30 and every client that does not ask). Default from ZX_LOAD_HEARTBEAT.
   */
  heartbeat?: 'client' | 'server';
  /** An attempt without hello after this long fails (default 60 s). */
  connectTimeoutMs?: number;
  path?: string;
  /**
   * Pick local ports from this agent's share of the ephemeral range instead of bind() to port 0,
   * whose search costs the kernel milliseconds per connect at tens of thousands (local-ports.ts).
   */
  portShare?: PortShare;
}

/** What the agent hears from its pool. */
export interface PoolListener {
  /** Hello received: the connection is open. */
  opened(slot: number): void;
  /** A `res` frame; `code` is the error code when ok is false. */
  response(slot: number, id: string, ok: boolean, code: string | undefined, text: string): void;
  /** An `event` frame, raw text. */
  event(slot: number, text: string): void;
  /** A protocol `pong`. */
  pong(slot: number): void;
}

const TICK_MS = 200;
const CLOSE_LINGER_MS = 5_000;
/** Ports of our share found taken by another process, tried in a row before counting a failure. */
const PORT_RETRIES = 20;

export class ConnPool implements ConnOwner {
  readonly upgradeBytes: Buffer;
  private readonly expectedAccept: string;
  private readonly pingFrame = encodeText('{"type":"ping"}');
  private readonly pongFrame = encodeText('{"type":"pong"}');
  /** What the auth frame asks for; a server that agrees says so in hello and our pings stop. */
  private readonly heartbeatMode: 'client' | 'server';
  /** The server drives the heartbeat (its hello said so): we only answer its pings. */
  private serverBeats = false;
  private readonly tokens: string[] = [];
  private readonly sockets: Array<Conn | null> = [];
  /** performance.now() at the start of each slot's current attempt. */
  private startedAt = new Float64Array(1024);
  /** Slots between attempt start and hello, for the timeout sweep. */
  private readonly pending = new Set<number>();
  private readonly closing = new Map<Conn, number>();
  private readonly localPorts: LocalPorts | undefined;
  private nextSource = 0;
  private nextRequestId = 1;
  private heartbeatMs: number | undefined;
  private heartbeatCursor = 0;
  private heartbeatCarry = 0;
  private readonly timer: NodeJS.Timeout;

  open = 0;
  attempted = 0;
  established = 0;
  closedByUs = 0;
  readonly failures: FailureCounts = emptyFailures();
  readonly connectLatency = new Histogram();

  constructor(
    private readonly opts: PoolOptions,
    private readonly listener: PoolListener,
  ) {
    if (opts.sourceAddresses.length === 0) throw new Error('no source addresses');
    const key = newWebSocketKey();
    this.expectedAccept = acceptFor(key);
    this.upgradeBytes = upgradeRequest(opts.host, opts.port, opts.path ?? '/ws', key);
    this.heartbeatMs = opts.heartbeatMs;
    this.heartbeatMode = opts.heartbeat ?? (process.env.ZX_LOAD_HEARTBEAT === 'client' ? 'client' : 'server');
    if (opts.portShare) {
      this.localPorts = new LocalPorts(opts.sourceAddresses.length, agentPorts(opts.portShare));
    }
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Register a credential; returns its slot. */
  add(accessToken: string): number {
    const slot = this.tokens.length;
    this.tokens.push(accessToken);
    this.sockets.push(null);
    if (slot >= this.startedAt.length) {
      const grown = new Float64Array(this.startedAt.length * 2);
      grown.set(this.startedAt);
      this.startedAt = grown;
    }
    return slot;
  }

  /** Attempts between start and hello or failure. */
  get connecting(): number {
    return this.pending.size;
  }

  get size(): number {
    return this.tokens.length;
  }

  isOpen(slot: number): boolean {
    return this.sockets[slot]?.phase === OPEN;
  }

  /** performance.now() when the slot's current attempt started. */
  attemptStart(slot: number): number {
    return this.startedAt[slot]!;
  }

  /** Start a connection attempt for a slot (a new socket; any old one must be closed first). */
  connect(slot: number): void {
    const old = this.sockets[slot];
    if (old && old.phase < CLOSING) throw new Error(`slot ${slot} is still connected`);
    this.attempted++;
    this.startedAt[slot] = performance.now();
    this.dial(slot, 0);
  }

  /** A new socket for the slot's current attempt, from the next source address (and port of ours). */
  private dial(slot: number, portRetries: number): void {
    const conn = new Conn(this, slot);
    this.sockets[slot] = conn;
    this.pending.add(slot);
    conn.on('connect', onConnect);
    conn.on('data', onData);
    conn.on('error', onError);
    conn.on('close', onClose);
    conn.setNoDelay(true);
    const addr = this.nextSource++ % this.opts.sourceAddresses.length;
    const localAddress = this.opts.sourceAddresses[addr];
    conn.addr = addr;
    conn.portIndex = this.localPorts?.take(addr) ?? -1;
    conn.portRetries = portRetries;
    const localPort = conn.portIndex >= 0 ? this.localPorts!.port(conn.portIndex) : undefined;
    conn.connect({
      host: this.opts.host,
      port: this.opts.port,
      localAddress,
      ...(localPort ? { localPort } : {}),
    });
  }

  /** Send a request on an open connection; returns its id, or null if the slot is not open. */
  request(slot: number, op: string, bodyJson: string): string | null {
    const conn = this.sockets[slot];
    if (!conn || conn.phase !== OPEN) return null;
    const id = String(this.nextRequestId++);
    conn.write(encodeText(`{"type":"req","id":"${id}","op":"${op}","body":${bodyJson}}`));
    return id;
  }

  /** Send a protocol ping now (the heartbeat sends them on its own). */
  ping(slot: number): boolean {
    const conn = this.sockets[slot];
    if (!conn || conn.phase !== OPEN) return false;
    conn.write(this.pingFrame);
    return true;
  }

  /** Close a connection as a client does (close frame, then end); counted in closedByUs. */
  close(slot: number): boolean {
    const conn = this.sockets[slot];
    if (!conn || conn.phase >= CLOSING) return false;
    if (conn.phase === OPEN) this.open--;
    this.pending.delete(slot);
    this.closedByUs++;
    if (conn.phase >= UPGRADING) conn.write(encodeClose(1000));
    conn.phase = CLOSING;
    this.closing.set(conn, performance.now());
    conn.end();
    return true;
  }

  /** Sockets not yet gone (for a clean shutdown). */
  get lingering(): number {
    return this.closing.size;
  }

  /** Stop the timer and destroy every socket. */
  destroy(): void {
    clearInterval(this.timer);
    for (const conn of this.sockets) conn?.destroy();
  }

  received(conn: Conn, chunk: Buffer): void {
    if (conn.phase === UPGRADING) {
      const data = conn.rest === null ? chunk : Buffer.concat([conn.rest, chunk]);
      conn.rest = null;
      const res = parseUpgradeResponse(data, this.expectedAccept);
      if (res.kind === 'incomplete') {
        conn.rest = Buffer.from(data);
        return;
      }
      if (res.kind === 'rejected') {
        this.fail(conn, 'upgradeRejected', `upgrade: ${res.line}`);
        return;
      }
      conn.phase = AUTH;
      const heartbeat = this.heartbeatMode === 'server' ? ',"heartbeat":"server"' : '';
      conn.write(
        encodeText(
          `{"type":"auth","v":1,"accessToken":${JSON.stringify(this.tokens[conn.slot])}${heartbeat}}`,
        ),
      );
      if (res.rest.length === 0) return;
      chunk = res.rest;
    }
    if (conn.phase < AUTH || conn.phase === DONE) return;
    try {
      parseFrames(conn, chunk, (opcode, payload) => this.frame(conn, opcode, payload));
    } catch (err) {
      this.fail(conn, conn.phase === OPEN ? 'dropped' : 'other', `frame: ${(err as Error).message}`);
    }
  }

  private frame(conn: Conn, opcode: number, payload: Buffer): void {
    if (conn.phase === DONE) return;
    if (opcode === Opcode.Ping) {
      conn.write(encodePong(payload));
      return;
    }
    if (opcode === Opcode.Close) {
      const reason = payload.length > 2 ? payload.toString('utf8', 2) : '';
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      if (conn.phase !== CLOSING) {
        conn.write(encodeClose(code === 1005 ? 1000 : code));
        const kind = conn.phase === OPEN ? 'dropped' : 'authRejected';
        this.fail(conn, kind, `server closed ${code} ${reason}`, false);
      }
      conn.end();
      return;
    }
    if (opcode !== Opcode.Text) return;
    const text = payload.toString('utf8');
    const kind = serverTextKind(text);
    if (conn.phase === AUTH) {
      if (kind === 'hello') this.hello(conn, text);
      else if (kind === 'error' || kind === 'bye')
        this.fail(conn, 'authRejected', `auth: ${text.slice(0, 200)}`);
      return;
    }
    if (conn.phase !== OPEN) return;
    switch (kind) {
      case 'event':
        this.listener.event(conn.slot, text);
        return;
      case 'res': {
        const res = responseHead(text);
        if (res) this.listener.response(conn.slot, res.id, res.ok, res.code, text);
        else this.sample(`unparseable res: ${text.slice(0, 200)}`);
        return;
      }
      case 'ping':
        conn.write(this.pongFrame);
        return;
      case 'pong':
        this.listener.pong(conn.slot);
        return;
      case 'bye':
      case 'error':
        this.sample(`open: ${text.slice(0, 200)}`);
        return;
    }
  }

  private hello(conn: Conn, text: string): void {
    conn.phase = OPEN;
    this.pending.delete(conn.slot);
    this.open++;
    this.established++;
    this.connectLatency.record(performance.now() - this.startedAt[conn.slot]!);
    const beat = helloHeartbeat(text);
    if (this.heartbeatMode === 'server' && beat.serverDriven) this.serverBeats = true;
    this.heartbeatMs ??= beat.ms;
    this.listener.opened(conn.slot);
  }

  errored(conn: Conn, err: NodeJS.ErrnoException): void {
    if (conn.phase >= CLOSING) return;
    // A port of our share held by another process (or its 4-tuple in TIME_WAIT): take the next one.
    const portTaken = err.code === 'EADDRINUSE' || err.code === 'EADDRNOTAVAIL';
    if (conn.phase === CONNECTING && conn.portIndex >= 0 && portTaken && conn.portRetries < PORT_RETRIES) {
      conn.phase = DONE;
      conn.destroy();
      this.dial(conn.slot, conn.portRetries + 1);
      return;
    }
    const kind = errorKind(err.code) ?? 'other';
    this.fail(
      conn,
      conn.phase === OPEN && kind === 'refused' ? 'dropped' : kind,
      `${err.code ?? ''} ${err.message}`,
    );
  }

  closed(conn: Conn): void {
    this.closing.delete(conn);
    if (conn.phase < CLOSING)
      this.fail(conn, failureOfPhase(conn.phase), `closed by the server in phase ${conn.phase}`);
    conn.phase = DONE;
    conn.rest = null;
    conn.fragments = null;
    this.localPorts?.release(conn.addr, conn.portIndex);
    conn.portIndex = -1;
    if (this.sockets[conn.slot] === conn) this.sockets[conn.slot] = null;
  }

  /** Count a failure once, and let the socket go. */
  private fail(conn: Conn, kind: FailureKind, message: string, destroy = true): void {
    if (conn.phase >= CLOSING) return;
    if (conn.phase === OPEN) this.open--;
    this.pending.delete(conn.slot);
    conn.phase = DONE;
    this.failures[kind]++;
    // The wall clock, to line a failure up with the server log's `time`.
    this.sample(`${kind}: ${message} @${new Date().toISOString().slice(11, 19)}`);
    if (destroy) conn.destroy();
    else this.closing.set(conn, performance.now());
  }

  private sample(message: string): void {
    addSample(this.failures.samples, message);
  }

  /** Heartbeats for a slice of the slots, attempt timeouts, and sockets that linger after close. */
  private tick(): void {
    const now = performance.now();
    const n = this.sockets.length;
    if (this.heartbeatMs !== undefined && !this.serverBeats && n > 0) {
      // Each tick pings its share of the slots, so every connection pings once per heartbeatMs.
      this.heartbeatCarry += (n * TICK_MS) / this.heartbeatMs;
      let visit = Math.floor(this.heartbeatCarry);
      this.heartbeatCarry -= visit;
      while (visit-- > 0) {
        const conn = this.sockets[this.heartbeatCursor++ % n];
        if (conn?.phase === OPEN && conn.writableLength === 0) conn.write(this.pingFrame);
      }
      this.heartbeatCursor %= n;
    }
    const timeout = this.opts.connectTimeoutMs ?? 60_000;
    for (const slot of this.pending) {
      if (now - this.startedAt[slot]! < timeout) continue;
      const conn = this.sockets[slot];
      if (!conn) {
        this.pending.delete(slot);
        continue;
      }
      this.fail(conn, failureOfPhase(conn.phase), `no hello after ${timeout} ms (phase ${conn.phase})`);
    }
    for (const [conn, since] of this.closing) {
      if (now - since > CLOSE_LINGER_MS) {
        this.closing.delete(conn);
        conn.destroy();
      }
    }
  }
}
