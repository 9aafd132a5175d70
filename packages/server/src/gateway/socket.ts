import type { Duplex } from 'node:stream';
import { WebSocket } from 'ws';

/** `readyState` of an open socket (the WebSocket standard's OPEN). */
export const OPEN = 1;

/**
 * The little the gateway needs of a socket, so tests can drive a connection with a fake
 * (tldraw's ServerSocketAdapter). Inbound traffic is pushed into the Connection by the binding.
 */
export interface SocketAdapter {
  readonly readyState: number;
  /** Bytes queued but not yet written to the network: the back-pressure signal. */
  readonly bufferedAmount: number;
  /** A text frame; a Buffer must hold UTF-8 (one encoding shared by many recipients). */
  send(text: string | Buffer): void;
  close(code: number, reason: string): void;
  /** A protocol-level ping; the peer's pong reaches Connection.handlePong. */
  ping(): void;
  /** Drop the TCP connection without a closing handshake. */
  terminate(): void;
}

/** What receives a socket's traffic (the gateway's Connection). */
export interface SocketPeer {
  handleMessage(data: Buffer, isBinary: boolean): void;
  handlePong(): void;
  handleClosed(): void;
}

const TEXT = { binary: false } as const;

function uncork(adapter: WsSocketAdapter): void {
  adapter.corked = false;
  adapter.raw?.uncork();
}

/** A server's text frame (FIN, opcode 1, unmasked; RFC 6455 section 5.2) carrying `payload`. */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(head + n);
  frame[0] = 0x81;
  if (n < 126) frame[1] = n;
  else if (n < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(n, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(frame, head);
  return frame;
}

/**
 * The last shared payload written as a whole frame, and that frame: a delivery writes one Buffer
 * to many sockets in a row, so it is framed once, not once per socket.
 */
let framedPayload: Buffer | null = null;
let framed: Buffer = Buffer.alloc(0);

/**
 * The adapter over a `ws` WebSocket. Writes to the raw socket are corked until the end of the
 * current tick: a group commit delivers many frames to one socket at once, and they then leave
 * in one writev instead of one system call each.
 *
 * A class, not an object of arrow functions: one of these exists per connection, and closures
 * cost a function and a context each (and under tsx's keepNames a property dictionary too, about
 * 300 bytes per closure), where the class's methods are shared by every instance.
 */
export class WsSocketAdapter implements SocketAdapter {
  corked = false;
  /**
   * Shared Buffers go to the raw socket as whole frames, past ws's Sender (a tenth of a channel
   * post's CPU was its framing, socket by socket). Safe only without extensions: ws's Sender holds
   * frames back (its queue) only while it compresses (permessage-deflate, which the gateway does not
   * offer) or reads a Blob (never sent here); otherwise it writes each frame, pings and close
   * included, to this same socket at once, so the order on the wire stays the order of the calls.
   */
  private readonly direct: boolean;

  constructor(
    readonly ws: WebSocket,
    readonly raw?: Duplex,
  ) {
    // Fixed by the handshake, which is over when the gateway gets the socket.
    this.direct = raw !== undefined && ws.extensions === '';
  }

  get readyState(): number {
    return this.ws.readyState;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(text: string | Buffer): void {
    if (this.raw && !this.corked) {
      this.corked = true;
      this.raw.cork();
      process.nextTick(uncork, this);
    }
    // Not OPEN: ws says why (and never writes after its close frame).
    if (!this.direct || typeof text === 'string' || this.ws.readyState !== OPEN) {
      this.ws.send(text, TEXT);
      return;
    }
    if (text !== framedPayload) {
      framed = textFrame(text);
      framedPayload = text;
    }
    this.raw!.write(framed);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  ping(): void {
    this.ws.ping();
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export interface SocketListeners {
  /** A socket finished closing (after its peer heard of it). */
  closed(ws: GatewayWebSocket): void;
  error(ws: GatewayWebSocket, err: Error): void;
}

type WsData = Buffer | ArrayBuffer | Buffer[];

function toBuffer(data: WsData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * The gateway's WebSocket class (ws's `WebSocket` option). Its events go straight to its peer
 * and to the gateway's shared listeners from `emit`, instead of through four listeners registered
 * per socket: those grow the emitter's property dictionary by about 250 bytes per connection.
 * Events it does not route (before `bind`, or others ws emits) take EventEmitter's usual path.
 */
export class GatewayWebSocket extends WebSocket {
  peer: SocketPeer | null = null;
  hooks: SocketListeners | null = null;

  /** Route this socket's events to `peer` and the gateway's `listeners`. */
  bind(peer: SocketPeer, listeners: SocketListeners): void {
    this.peer = peer;
    this.hooks = listeners;
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const { peer, hooks } = this;
    if (peer === null || hooks === null) return super.emit(event, ...args);
    switch (event) {
      case 'message':
        peer.handleMessage(toBuffer(args[0] as WsData), args[1] === true);
        break;
      case 'pong':
        peer.handlePong();
        break;
      case 'close':
        peer.handleClosed();
        hooks.closed(this);
        break;
      case 'error':
        // Protocol errors (oversized or invalid frames) close the socket; ws reports them here first.
        hooks.error(this, args[0] as Error);
        break;
      default:
        return super.emit(event, ...args);
    }
    // Listeners added by other code still hear routed events (none are, on the gateway's path).
    if (this.listenerCount(event) > 0) super.emit(event, ...args);
    return true;
  }
}
