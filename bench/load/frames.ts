/**
 * Minimal client-side WebSocket framing (RFC 6455) for the load generator: the upgrade request,
 * masked client frames, and an incremental parser for the server's unmasked frames. No `ws`: a
 * full client object per connection is what the generator cannot afford at 600,000 connections.
 */
import { randomBytes } from 'node:crypto';
import { Opcode } from '../../packages/server/src/gateway/websocket-frames.ts';
import { acceptKey } from '../../packages/server/src/gateway/websocket-handshake.ts';

export { Opcode };

/** A random Sec-WebSocket-Key (base64 of 16 bytes). */
export function newWebSocketKey(): string {
  return randomBytes(16).toString('base64');
}

/** The Sec-WebSocket-Accept the server must answer for `key` (the server's own function). */
export const acceptFor = acceptKey;

/**
 * The HTTP upgrade request. One agent sends the same bytes on every connection (one key per agent):
 * the key only proves the server speaks WebSocket, it carries no secret.
 */
export function upgradeRequest(host: string, port: number, path: string, key: string): Buffer {
  return Buffer.from(
    `GET ${path} HTTP/1.1\r\n` +
      `Host: ${host}:${port}\r\n` +
      'Upgrade: websocket\r\n' +
      'Connection: Upgrade\r\n' +
      `Sec-WebSocket-Key: ${key}\r\n` +
      'Sec-WebSocket-Version: 13\r\n\r\n',
    'latin1',
  );
}

export type UpgradeResult =
  | { kind: 'incomplete' }
  | { kind: 'accepted'; rest: Buffer }
  | { kind: 'rejected'; status: number; line: string };

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * Reads the server's answer to the upgrade from the bytes received so far. `rest` holds any
 * WebSocket bytes that arrived in the same chunk as the headers.
 */
export function parseUpgradeResponse(data: Buffer, expectedAccept: string): UpgradeResult {
  const end = data.indexOf(HEADER_END);
  if (end < 0) {
    if (data.length > 16 * 1024) return { kind: 'rejected', status: 0, line: 'headers too long' };
    return { kind: 'incomplete' };
  }
  const head = data.toString('latin1', 0, end);
  const lineEnd = head.indexOf('\r\n');
  const line = lineEnd < 0 ? head : head.slice(0, lineEnd);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(line)?.[1] ?? 0);
  if (status !== 101) return { kind: 'rejected', status, line };
  const accept = /\r\nsec-websocket-accept:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
  if (accept !== expectedAccept) return { kind: 'rejected', status, line: 'bad Sec-WebSocket-Accept' };
  return { kind: 'accepted', rest: data.subarray(end + 4) };
}

/** A 32-bit masking key; unpredictability does not matter between our own processes. */
function maskKey(): number {
  return (Math.random() * 0x1_0000_0000) >>> 0;
}

/** One masked client frame with FIN set. */
export function encodeFrame(opcode: number, payload: Buffer, key = maskKey()): Buffer {
  const len = payload.length;
  const headLen = len < 126 ? 2 : len < 0x1_0000 ? 4 : 10;
  const out = Buffer.allocUnsafe(headLen + 4 + len);
  out[0] = 0x80 | opcode;
  if (len < 126) {
    out[1] = 0x80 | len;
  } else if (len < 0x1_0000) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(len, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeUInt32BE(Math.floor(len / 0x1_0000_0000), 2);
    out.writeUInt32BE(len >>> 0, 6);
  }
  out.writeUInt32BE(key, headLen);
  const m0 = out[headLen]!;
  const m1 = out[headLen + 1]!;
  const m2 = out[headLen + 2]!;
  const m3 = out[headLen + 3]!;
  const start = headLen + 4;
  for (let i = 0; i < len; i++) {
    const m = (i & 3) === 0 ? m0 : (i & 3) === 1 ? m1 : (i & 3) === 2 ? m2 : m3;
    out[start + i] = payload[i]! ^ m;
  }
  return out;
}

export function encodeText(text: string, key?: number): Buffer {
  return encodeFrame(Opcode.Text, Buffer.from(text, 'utf8'), key);
}

export function encodePong(payload: Buffer, key?: number): Buffer {
  return encodeFrame(Opcode.Pong, payload, key);
}

export function encodeClose(code = 1000, reason = '', key?: number): Buffer {
  const body = Buffer.allocUnsafe(2 + Buffer.byteLength(reason));
  body.writeUInt16BE(code, 0);
  body.write(reason, 2, 'utf8');
  return encodeFrame(Opcode.Close, body, key);
}

/** Unmask a payload in place (only for tests and for servers that mask, which RFC 6455 forbids). */
export function unmask(payload: Buffer, key: Buffer): Buffer {
  for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ key[i & 3]!;
  return payload;
}

/** What a connection keeps between chunks: absent (null) while no frame is cut in half. */
export interface ParserState {
  /** Bytes of an incomplete frame header or payload. */
  rest: Buffer | null;
  /** Payloads of a fragmented message so far, and its opcode. */
  fragments: Buffer[] | null;
  fragmentOpcode: number;
}

export function newParserState(): ParserState {
  return { rest: null, fragments: null, fragmentOpcode: 0 };
}

/** A whole message (text/binary, fragments joined) or a control frame. */
export type FrameSink = (opcode: number, payload: Buffer) => void;

export class FrameError extends Error {}

/** Largest message the parser assembles; the server's maxPayload is far below it. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Feed one TCP chunk: calls `sink` for every complete message and control frame, keeps the cut-off
 * tail in `state`. Payloads handed to `sink` may share memory with `chunk`: copy what must outlive
 * the call. Throws FrameError on a protocol violation (the caller closes the connection).
 */
export function parseFrames(state: ParserState, chunk: Buffer, sink: FrameSink): void {
  const data = state.rest === null ? chunk : Buffer.concat([state.rest, chunk]);
  state.rest = null;
  let off = 0;
  while (true) {
    const avail = data.length - off;
    if (avail < 2) break;
    const b0 = data[off]!;
    const b1 = data[off + 1]!;
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    const masked = (b1 & 0x80) !== 0;
    let len = b1 & 0x7f;
    let head = 2;
    if (len === 126) {
      if (avail < 4) break;
      len = data.readUInt16BE(off + 2);
      head = 4;
    } else if (len === 127) {
      if (avail < 10) break;
      const hi = data.readUInt32BE(off + 2);
      if (hi > 0x1f_ffff) throw new FrameError('frame length beyond 2^53');
      len = hi * 0x1_0000_0000 + data.readUInt32BE(off + 6);
      head = 10;
    }
    if (len > MAX_MESSAGE_BYTES) throw new FrameError(`frame of ${len} bytes`);
    const keyLen = masked ? 4 : 0;
    if (avail < head + keyLen + len) break;
    const start = off + head + keyLen;
    let payload = data.subarray(start, start + len);
    if (masked) payload = unmask(Buffer.from(payload), data.subarray(off + head, start));
    off = start + len;
    if (opcode >= 0x8) {
      if (!fin || len > 125) throw new FrameError('fragmented or long control frame');
      if (opcode !== Opcode.Close && opcode !== Opcode.Ping && opcode !== Opcode.Pong) {
        throw new FrameError(`unknown control opcode ${opcode}`);
      }
      sink(opcode, payload);
      continue;
    }
    if (opcode === Opcode.Continuation) {
      if (state.fragments === null) throw new FrameError('continuation without a first fragment');
      state.fragments.push(Buffer.from(payload));
      if (fin) {
        const whole = Buffer.concat(state.fragments);
        const op = state.fragmentOpcode;
        state.fragments = null;
        sink(op, whole);
      }
      continue;
    }
    if (opcode !== Opcode.Text && opcode !== Opcode.Binary) {
      throw new FrameError(`unknown opcode ${opcode}`);
    }
    if (state.fragments !== null) throw new FrameError('new message inside a fragmented one');
    if (fin) {
      sink(opcode, payload);
    } else {
      state.fragments = [Buffer.from(payload)];
      state.fragmentOpcode = opcode;
    }
  }
  // Copy the tail: keeping a subarray would pin the whole (possibly 64 KiB) read buffer.
  if (off < data.length) state.rest = Buffer.from(data.subarray(off));
}
