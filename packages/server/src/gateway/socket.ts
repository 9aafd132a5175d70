import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  closeFrame,
  controlFrame,
  Opcode,
  PING_FRAME,
  readClientFrames,
  textFrame,
  textFrameOf,
  type FrameReader,
  type FrameTarget,
} from './websocket-frames.ts';

/** `readyState` values, as the WebSocket standard numbers them. */
export const OPEN = 1;
export const CLOSING = 2;
export const CLOSED = 3;

/**
 * The little the gateway needs of a socket, so tests can drive a connection with a fake
 * (tldraw's ServerSocketAdapter). Inbound traffic is pushed into the Connection by the socket.
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
  /** The client sent a protocol ping: whether to answer it (false: it is over its request rate). */
  handlePing(): boolean;
  handlePong(): void;
  handleClosed(): void;
}

export interface SocketListeners {
  /** A socket is gone (closed by either side, after its peer heard of it, or dropped). */
  closed(socket: GatewaySocket): void;
  /** The peer broke the protocol; the socket is being closed with the fault's code. */
  error(socket: GatewaySocket, err: Error): void;
}

/** What every socket of one gateway shares. */
export interface SocketSettings {
  /** The largest message a client may send, in bytes (larger: close 1009). */
  readonly maxPayload: number;
  readonly listeners: SocketListeners;
}

/** The raw TCP socket, which points back at its GatewaySocket for the shared event handlers. */
type RawSocket = Duplex & { zxSocket?: GatewaySocket };

/**
 * How long a socket whose closing handshake is done (or that broke the protocol) waits for the
 * peer's FIN before it is dropped: a peer that never ends its side does not keep a file open.
 */
const CLOSE_LINGER_MS = 5_000;

/**
 * Pings go unanswered while this much is still unsent to the client: one that pings and never
 * reads cannot grow our write buffer (RFC 6455 5.5.3 lets a pong answer only the latest ping).
 */
export const MAX_UNSENT_FOR_PONG = 16 * 1024;

// Shared event handlers (no closure per connection): `this` is the raw socket.
function onRawData(this: RawSocket, chunk: Buffer): void {
  this.zxSocket?.received(chunk);
}
function onRawEnd(this: RawSocket): void {
  this.zxSocket?.peerEnded();
}
function onRawClose(this: RawSocket): void {
  this.zxSocket?.gone();
}
function onRawError(this: RawSocket): void {
  // A reset or broken pipe: the 'close' that follows finishes the socket.
  this.destroy();
}
function destroyRaw(raw: Duplex): void {
  raw.destroy();
}

function uncork(socket: GatewaySocket): void {
  socket.corked = false;
  socket.raw.uncork();
}

/**
 * The last shared payload written as a whole frame, and that frame: a delivery writes one Buffer
 * to many sockets in a row, so it is framed once, not once per socket.
 */
let framedPayload: Buffer | null = null;
let framed: Buffer = Buffer.alloc(0);

/**
 * A server-side WebSocket (RFC 6455) over the raw TCP socket of an accepted upgrade
 * (websocket-handshake.ts): frames are read straight from the socket's chunks
 * (websocket-frames.ts) and written as whole frames, with no stream objects between.
 *
 * Lean on purpose: one exists per connection. Against the `ws` library's WebSocket, Receiver
 * (a Writable stream) and Sender per connection (~1.3 KiB of heap with their emitters), this is one
 * object of a dozen fields; its event handlers are shared functions that find it through the raw
 * socket, and its settings one object per gateway.
 *
 * Writes are corked until the end of the current tick: a group commit delivers many frames to one
 * socket at once, and they then leave in one writev instead of one system call each.
 */
export class GatewaySocket implements SocketAdapter, FrameReader, FrameTarget {
  readyState = OPEN;
  corked = false;
  peer: SocketPeer | null = null;
  rest: Buffer | null = null;
  fragments: Buffer[] | null = null;
  fragmentOpcode = 0;
  fragmentBytes = 0;
  /** Our close frame went out (nothing more may follow it). */
  private closeSent = false;

  constructor(
    readonly raw: Duplex,
    private readonly settings: SocketSettings,
  ) {}

  /** Route this socket's traffic to `peer`, read what came with the upgrade (`head`), then the socket. */
  start(peer: SocketPeer, head: Buffer): void {
    this.peer = peer;
    const raw = this.raw as RawSocket;
    raw.zxSocket = this;
    (raw as Partial<Pick<Socket, 'setNoDelay'>>).setNoDelay?.(true);
    raw.on('data', onRawData);
    raw.on('end', onRawEnd);
    raw.on('close', onRawClose);
    raw.on('error', onRawError);
    if (head.length > 0) this.received(head);
  }

  get bufferedAmount(): number {
    return this.raw.writableLength;
  }

  send(text: string | Buffer): void {
    if (this.readyState !== OPEN) return;
    this.cork();
    if (typeof text === 'string') {
      this.raw.write(textFrameOf(text));
      return;
    }
    if (text !== framedPayload) {
      framed = textFrame(text);
      framedPayload = text;
    }
    this.raw.write(framed);
  }

  ping(): void {
    if (this.readyState !== OPEN) return;
    this.cork();
    this.raw.write(PING_FRAME);
  }

  /** Start the closing handshake: our close frame now, the TCP end when the peer's close comes back. */
  close(code: number, reason: string): void {
    if (this.readyState !== OPEN) return;
    this.readyState = CLOSING;
    this.closeSent = true;
    this.raw.write(closeFrame(code, reason));
  }

  terminate(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.raw.destroy();
  }

  /** Bytes from the peer. */
  received(chunk: Buffer): void {
    if (this.readyState === CLOSED) return;
    const fault = readClientFrames(this, chunk, this.settings.maxPayload, this);
    if (fault === null) return;
    this.settings.listeners.error(this, new Error(`websocket protocol: ${fault.reason} (${fault.code})`));
    this.rest = this.fragments = null;
    if (!this.closeSent) {
      this.closeSent = true;
      this.raw.write(closeFrame(fault.code, fault.reason));
    }
    this.endTcp();
    // Nothing the peer sends after the fault is read.
    this.raw.removeListener('data', onRawData);
  }

  /** A whole message or control frame from the reader. */
  frame(opcode: number, payload: Buffer): void {
    switch (opcode) {
      case Opcode.Text:
        this.peer?.handleMessage(payload, false);
        return;
      case Opcode.Binary:
        this.peer?.handleMessage(payload, true);
        return;
      case Opcode.Ping:
        // A ping flood is a request flood: each pong takes a token of the peer's request rate.
        if (
          this.readyState === OPEN &&
          this.raw.writableLength < MAX_UNSENT_FOR_PONG &&
          (this.peer?.handlePing() ?? true)
        ) {
          this.cork();
          this.raw.write(controlFrame(Opcode.Pong, payload));
        }
        return;
      case Opcode.Pong:
        this.peer?.handlePong();
        return;
      case Opcode.Close:
        this.peerClosed(payload);
        return;
    }
  }

  /** The peer's close frame: answer it (the same code) unless ours went first, then end the TCP side. */
  private peerClosed(payload: Buffer): void {
    if (!this.closeSent) {
      this.closeSent = true;
      this.raw.write(
        payload.length >= 2 ? closeFrame(payload.readUInt16BE(0)) : controlFrame(Opcode.Close, payload),
      );
    }
    this.endTcp();
    // Nothing may follow a close frame; whatever does is not read.
    this.raw.removeListener('data', onRawData);
  }

  /** End our side of the TCP connection, and drop it if the peer does not end its side soon. */
  private endTcp(): void {
    this.readyState = CLOSING;
    this.raw.end();
    setTimeout(destroyRaw, CLOSE_LINGER_MS, this.raw).unref();
  }

  /** The peer ended its side of the TCP connection. */
  peerEnded(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.raw.end();
  }

  /** The TCP connection is closed. */
  gone(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.rest = this.fragments = null;
    this.peer?.handleClosed();
    this.settings.listeners.closed(this);
  }

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.raw.cork();
    process.nextTick(uncork, this);
  }
}
