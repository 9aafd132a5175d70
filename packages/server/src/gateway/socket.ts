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

/**
 * The gateway's WebSocket class (ws's `WebSocket` option): it points at its peer, so the event
 * listeners can be four functions shared by every socket instead of four closures per socket.
 */
export class GatewayWebSocket extends WebSocket {
  peer: SocketPeer | null = null;
}

export interface SocketListeners {
  /** A socket finished closing (after its peer heard of it). */
  closed(ws: GatewayWebSocket): void;
  error(ws: GatewayWebSocket, err: Error): void;
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** Returns `bind(ws, peer)`, which routes a socket's events to its peer through shared listeners. */
export function socketBinder(listeners: SocketListeners): (ws: GatewayWebSocket, peer: SocketPeer) => void {
  // ws types `this` as its own WebSocket; the server creates only GatewayWebSockets (upgrade.ts).
  function onMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) {
    (this as GatewayWebSocket).peer?.handleMessage(toBuffer(data), isBinary);
  }
  function onPong(this: WebSocket) {
    (this as GatewayWebSocket).peer?.handlePong();
  }
  function onClose(this: WebSocket) {
    (this as GatewayWebSocket).peer?.handleClosed();
    listeners.closed(this as GatewayWebSocket);
  }
  // Protocol errors (oversized or invalid frames) close the socket; ws reports them here first.
  function onError(this: WebSocket, err: Error) {
    listeners.error(this as GatewayWebSocket, err);
  }
  return (ws, peer) => {
    ws.peer = peer;
    ws.on('message', onMessage);
    ws.on('pong', onPong);
    ws.on('close', onClose);
    ws.on('error', onError);
  };
}
