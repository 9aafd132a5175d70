import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { GatewaySocket, type SocketListeners, type SocketPeer, type SocketSettings } from './socket.ts';
import { checkUpgrade, switchingProtocols } from './websocket-handshake.ts';

export const WS_PATH = '/ws';

export interface UpgradeOptions {
  maxPayload: number;
  trustProxy: boolean;
  /** While shutting down, new upgrades are refused with 503. */
  isClosing(): boolean;
  /** Where every socket's close and protocol faults are reported. */
  listeners: SocketListeners;
  /** A socket is open: the returned peer receives its traffic from the first frame on. */
  onSocket(socket: GatewaySocket, ip: string): SocketPeer;
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

function refuse(socket: Duplex, status: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n${headers}Content-Length: 0\r\n\r\n`);
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
export function createUpgradeHandler(
  opts: UpgradeOptions,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const settings: SocketSettings = { maxPayload: opts.maxPayload, listeners: opts.listeners };
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
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
    const handshake = checkUpgrade(req);
    if (!handshake.ok) return refuse(socket, handshake.status, handshake.headers);
    // Gone while the request was parsed.
    if (!socket.readable || !socket.writable) return socket.destroy();
    socket.write(switchingProtocols(handshake.accept, handshake.protocol));
    (socket as Partial<Pick<Socket, 'setTimeout'>>).setTimeout?.(0);
    releaseClearedTimeout(socket);
    // The socket's own error handler takes over (GatewaySocket.start).
    socket.removeListener('error', destroyOnError);
    const ws = new GatewaySocket(socket, settings);
    ws.start(opts.onSocket(ws, clientIp(req, opts.trustProxy)), head);
  };
}
