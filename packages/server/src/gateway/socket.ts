import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

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

/**
 * The adapter over a `ws` WebSocket. Writes to the raw socket are corked until the end of the
 * current tick: a group commit delivers many frames to one socket at once, and they then leave
 * in one writev instead of one system call each.
 */
export function wsSocketAdapter(ws: WebSocket, raw?: Duplex): SocketAdapter {
  let corked = false;
  const uncork = () => {
    corked = false;
    raw?.uncork();
  };
  return {
    get readyState() {
      return ws.readyState;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    send: (text) => {
      if (raw && !corked) {
        corked = true;
        raw.cork();
        process.nextTick(uncork);
      }
      ws.send(text, { binary: false });
    },
    close: (code, reason) => ws.close(code, reason),
    ping: () => ws.ping(),
    terminate: () => ws.terminate(),
  };
}
