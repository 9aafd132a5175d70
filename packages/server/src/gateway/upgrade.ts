import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export const WS_PATH = '/ws';

export interface UpgradeOptions {
  maxPayload: number;
  trustProxy: boolean;
  /** While shutting down, new upgrades are refused with 503. */
  isClosing(): boolean;
  onSocket(ws: WebSocket, ip: string, raw: Duplex): void;
  /** Other paths served by WebSocket upgrades (e.g. the media proxy `/janus`), by path. */
  routes?: ReadonlyMap<string, UpgradeRoute>;
}

/** Takes an upgrade request for its path (and answers or refuses it itself). */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

function refuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** The client address: the socket's, or with trustProxy the first X-Forwarded-For entry. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = req.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) return forwarded.split(',')[0]!.trim();
  return req.socket.remoteAddress ?? '';
}

/**
 * The `upgrade` listener for the HTTP server: only `/ws` becomes a WebSocket (no compression, frames
 * up to maxPayload). Authentication happens in the first frame, not with cookies, so a page on
 * another origin gains nothing by opening a socket here; there is no Origin check to get wrong.
 */
export function createUpgradeHandler(opts: UpgradeOptions): {
  wss: WebSocketServer;
  listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
} {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: opts.maxPayload,
    clientTracking: false,
  });
  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let path: string;
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      path = '';
    }
    const route = opts.routes?.get(path);
    if (route && !opts.isClosing()) return route(req, socket, head);
    if (path !== WS_PATH) return refuse(socket, '404 Not Found');
    if (opts.isClosing()) return refuse(socket, '503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => opts.onSocket(ws, clientIp(req, opts.trustProxy), socket));
  };
  return { wss, listener };
}
