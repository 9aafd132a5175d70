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
  send(text: string): void;
  close(code: number, reason: string): void;
  /** A protocol-level ping; the peer's pong reaches Connection.handlePong. */
  ping(): void;
  /** Drop the TCP connection without a closing handshake. */
  terminate(): void;
}

/** The adapter over a `ws` WebSocket. */
export function wsSocketAdapter(ws: WebSocket): SocketAdapter {
  return {
    get readyState() {
      return ws.readyState;
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
    ping: () => ws.ping(),
    terminate: () => ws.terminate(),
  };
}
