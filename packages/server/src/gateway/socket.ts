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

  constructor(
    readonly ws: WebSocket,
    readonly raw?: Duplex,
  ) {}

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
    this.ws.send(text, TEXT);
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
