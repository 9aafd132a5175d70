import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type Server as WsServer } from 'ws';
import { GatewayWebSocket } from './socket.ts';

export const WS_PATH = '/ws';

export interface UpgradeOptions {
  maxPayload: number;
  trustProxy: boolean;
  /** While shutting down, new upgrades are refused with 503. */
  isClosing(): boolean;
  onSocket(ws: GatewayWebSocket, ip: string, raw: Duplex): void;
  /** Other paths served by WebSocket upgrades (e.g. the media proxy `/janus`), by path. */
  routes?: ReadonlyMap<string, UpgradeRoute>;
}

/** Takes an upgrade request for its path (and answers or refuses it itself). */
export type UpgradeRoute = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Shared by every upgrading socket: a closure here would keep the request alive as long as the socket. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

let timeoutSymbol: symbol | null | undefined;

/**
 * Drop the Timeout object the HTTP server's idle timeout left on an upgraded socket. `ws` turns the
 * timeout off (setTimeout(0)), but Node keeps the cleared Timeout referenced from the socket for its
 * whole life: about 170 bytes per connection. Found by description because Node does not export the
 * symbol; on a Node without it this does nothing.
 */
function releaseClearedTimeout(socket: Duplex): void {
  timeoutSymbol ??= Object.getOwnPropertySymbols(socket).find((s) => s.description === 'timeout') ?? null;
  if (!timeoutSymbol) return;
  const holder = socket as unknown as Record<symbol, { _onTimeout: unknown } | null | undefined>;
  // Only a cleared one (its callback gone): an armed timeout is left alone.
  if (holder[timeoutSymbol]?._onTimeout === null) holder[timeoutSymbol] = null;
}

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
  wss: WsServer<typeof GatewayWebSocket>;
  listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
} {
  const wss = new WebSocketServer<typeof GatewayWebSocket>({
    WebSocket: GatewayWebSocket,
    noServer: true,
    perMessageDeflate: false,
    maxPayload: opts.maxPayload,
    clientTracking: false,
  });
  const listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    // A client asks for `/ws` itself nearly always: a URL parse per connect only for anything else.
    let path: string = WS_PATH;
    if (req.url !== WS_PATH) {
      try {
        path = new URL(req.url ?? '/', 'http://localhost').pathname;
      } catch {
        path = '';
      }
    }
    const route = opts.routes?.get(path);
    if (route && !opts.isClosing()) return route(req, socket, head);
    if (path !== WS_PATH) return refuse(socket, '404 Not Found');
    if (opts.isClosing()) return refuse(socket, '503 Service Unavailable');
    const ip = clientIp(req, opts.trustProxy);
    wss.handleUpgrade(req, socket, head, (ws) => {
      releaseClearedTimeout(socket);
      opts.onSocket(ws, ip, socket);
    });
  };
  return { wss, listener };
}
