/**
 * The server's half of the WebSocket opening handshake (RFC 6455 section 4.2): checks the client's
 * upgrade request and writes the 101 answer. No extension is offered back (the gateway's frames are
 * small JSON and a compressor per connection costs ~300 KiB), so the client sends plain frames.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Base64 of 16 bytes, as Sec-WebSocket-Key must be. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** An HTTP token (RFC 9110), what a subprotocol name is. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export type HandshakeCheck =
  | { ok: true; accept: string; protocol: string | undefined }
  /** `status` line text and any extra header lines (each ending in CRLF). */
  | { ok: false; status: string; headers: string };

/** The Sec-WebSocket-Accept for a client's key. */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** Is this request a WebSocket upgrade we can accept, and with what answer. */
export function checkUpgrade(req: IncomingMessage): HandshakeCheck {
  if (req.method !== 'GET') return { ok: false, status: '405 Method Not Allowed', headers: '' };
  if (req.headers.upgrade?.toLowerCase() !== 'websocket')
    return { ok: false, status: '400 Bad Request', headers: '' };
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !KEY.test(key.trim()))
    return { ok: false, status: '400 Bad Request', headers: '' };
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    return { ok: false, status: '426 Upgrade Required', headers: 'Sec-WebSocket-Version: 13\r\n' };
  }
  // A client that names subprotocols must hear one of them back; ours speak none, so the first is as good.
  const offered = req.headers['sec-websocket-protocol'];
  const first = offered?.split(',')[0]?.trim();
  if (first !== undefined && first !== '' && !TOKEN.test(first)) {
    return { ok: false, status: '400 Bad Request', headers: '' };
  }
  const protocol = first || undefined;
  return { ok: true, accept: acceptKey(key.trim()), protocol };
}

/** The 101 answer to an accepted upgrade. */
export function switchingProtocols(accept: string, protocol: string | undefined): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${accept}\r\n` +
    (protocol === undefined ? '' : `Sec-WebSocket-Protocol: ${protocol}\r\n`) +
    '\r\n'
  );
}
