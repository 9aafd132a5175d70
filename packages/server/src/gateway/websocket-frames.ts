/**
 * The server side of RFC 6455 framing: an incremental reader of client frames (masked, possibly
 * fragmented, split across TCP chunks in any way) and the frames the server writes. Only what the
 * gateway negotiates: no extensions, so any reserved bit is an error.
 *
 * The reader keeps its state in the socket object itself (FrameReader), not in an object of its
 * own: one exists per connection, and the gateway holds hundreds of thousands.
 */
import { isUtf8 } from 'node:buffer';

export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

/** Close codes the server sends for a peer's protocol faults (RFC 6455 section 7.4.1). */
export const CloseStatus = {
  ProtocolError: 1002,
  InvalidPayload: 1007,
  MessageTooBig: 1009,
} as const;

/** A frame reader's state between chunks. */
export interface FrameReader {
  /** Bytes of a frame not complete yet. */
  rest: Buffer | null;
  /** The frames so far of a fragmented message; null outside one. */
  fragments: Buffer[] | null;
  fragmentOpcode: number;
  fragmentBytes: number;
}

/** Where complete messages and control frames go, in order. */
export interface FrameTarget {
  /** A whole message (Text: valid UTF-8), or a control frame (Close: a valid code and reason). */
  frame(opcode: number, payload: Buffer): void;
}

/** The peer broke the protocol: the connection ends with this close code. */
export interface ProtocolFault {
  code: number;
  reason: string;
}

const fault = (code: number, reason: string): ProtocolFault => ({ code, reason });

/** A close code a peer may send (RFC 6455 section 7.4; 1004–1006 and 1015 never go on the wire). */
export function isValidCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
    (code >= 3000 && code <= 4999)
  );
}

function unmask(buf: Buffer, maskAt: number, start: number, end: number): void {
  const m0 = buf[maskAt]!;
  const m1 = buf[maskAt + 1]!;
  const m2 = buf[maskAt + 2]!;
  const m3 = buf[maskAt + 3]!;
  let i = start;
  for (; i + 3 < end; i += 4) {
    buf[i] = buf[i]! ^ m0;
    buf[i + 1] = buf[i + 1]! ^ m1;
    buf[i + 2] = buf[i + 2]! ^ m2;
    buf[i + 3] = buf[i + 3]! ^ m3;
  }
  // The last 1–3 bytes take the key's first bytes.
  if (i < end) buf[i] = buf[i]! ^ m0;
  if (i + 1 < end) buf[i + 1] = buf[i + 1]! ^ m1;
  if (i + 2 < end) buf[i + 2] = buf[i + 2]! ^ m2;
}

/**
 * Reads the frames of `chunk` (after whatever the last call kept), hands each whole message and
 * control frame to `target`, and keeps an incomplete frame for the next chunk. Payloads are unmasked
 * in place: `chunk` must be the caller's to change (a socket's read, used once). A message larger than
 * `maxPayload` is refused from its header, before its bytes are buffered. Returns the fault that
 * must end the connection, or null. Nothing after a Close frame is read.
 */
export function readClientFrames(
  reader: FrameReader,
  chunk: Buffer,
  maxPayload: number,
  target: FrameTarget,
): ProtocolFault | null {
  const buf = reader.rest === null ? chunk : Buffer.concat([reader.rest, chunk]);
  reader.rest = null;
  let at = 0;
  for (;;) {
    const available = buf.length - at;
    if (available < 2) break;
    const b0 = buf[at]!;
    const b1 = buf[at + 1]!;
    if ((b0 & 0x70) !== 0) return fault(CloseStatus.ProtocolError, 'reserved bits set');
    if ((b1 & 0x80) === 0) return fault(CloseStatus.ProtocolError, 'client frames must be masked');
    const fin = (b0 & 0x80) !== 0;
    const opcode = b0 & 0x0f;
    let length = b1 & 0x7f;
    let head = 2;
    if (length === 126) {
      if (available < 4) break;
      length = buf.readUInt16BE(at + 2);
      head = 4;
    } else if (length === 127) {
      if (available < 10) break;
      const high = buf.readUInt32BE(at + 2);
      // Anything past 2^53 is no length a message here could have.
      if (high > 0x1fffff) return fault(CloseStatus.MessageTooBig, 'message too big');
      length = high * 2 ** 32 + buf.readUInt32BE(at + 6);
      head = 10;
    }
    if (opcode >= 0x8) {
      if (opcode > Opcode.Pong) return fault(CloseStatus.ProtocolError, `unknown opcode ${opcode}`);
      if (!fin) return fault(CloseStatus.ProtocolError, 'fragmented control frame');
      if (length > 125) return fault(CloseStatus.ProtocolError, 'control frame too long');
    } else if (opcode === Opcode.Continuation) {
      if (reader.fragments === null)
        return fault(CloseStatus.ProtocolError, 'continuation outside a message');
      if (reader.fragmentBytes + length > maxPayload)
        return fault(CloseStatus.MessageTooBig, 'message too big');
    } else if (opcode === Opcode.Text || opcode === Opcode.Binary) {
      if (reader.fragments !== null)
        return fault(CloseStatus.ProtocolError, 'new message inside a fragmented one');
      if (length > maxPayload) return fault(CloseStatus.MessageTooBig, 'message too big');
    } else {
      return fault(CloseStatus.ProtocolError, `unknown opcode ${opcode}`);
    }
    const start = at + head + 4;
    const end = start + length;
    if (buf.length < end) break;
    unmask(buf, at + head, start, end);
    const payload = buf.subarray(start, end);
    at = end;
    if (opcode >= 0x8) {
      if (opcode === Opcode.Close) {
        const bad = checkClosePayload(payload);
        if (bad) return bad;
        target.frame(opcode, payload);
        return null;
      }
      target.frame(opcode, payload);
      continue;
    }
    let message: Buffer;
    let messageOpcode: number;
    if (opcode === Opcode.Continuation) {
      reader.fragments!.push(payload);
      reader.fragmentBytes += length;
      if (!fin) continue;
      message = Buffer.concat(reader.fragments!, reader.fragmentBytes);
      messageOpcode = reader.fragmentOpcode;
      reader.fragments = null;
      reader.fragmentBytes = 0;
    } else if (!fin) {
      // The first frame of a fragmented message: copied, so it does not keep this chunk alive.
      reader.fragments = [Buffer.from(payload)];
      reader.fragmentOpcode = opcode;
      reader.fragmentBytes = length;
      continue;
    } else {
      message = payload;
      messageOpcode = opcode;
    }
    if (messageOpcode === Opcode.Text && !isUtf8(message)) {
      return fault(CloseStatus.InvalidPayload, 'text is not UTF-8');
    }
    target.frame(messageOpcode, message);
  }
  // A copy: an incomplete frame must not pin a whole read buffer until the rest arrives.
  if (at < buf.length) reader.rest = Buffer.from(buf.subarray(at));
  return null;
}

function checkClosePayload(payload: Buffer): ProtocolFault | null {
  if (payload.length === 0) return null;
  if (payload.length === 1) return fault(CloseStatus.ProtocolError, 'close payload of one byte');
  if (!isValidCloseCode(payload.readUInt16BE(0)))
    return fault(CloseStatus.ProtocolError, 'invalid close code');
  if (!isUtf8(payload.subarray(2))) return fault(CloseStatus.InvalidPayload, 'close reason is not UTF-8');
  return null;
}

function frameHead(frame: Buffer, b0: number, length: number): number {
  frame[0] = b0;
  if (length < 126) {
    frame[1] = length;
    return 2;
  }
  if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
    return 4;
  }
  frame[1] = 127;
  frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
  frame.writeUInt32BE(length >>> 0, 6);
  return 10;
}

const headLength = (length: number): number => (length < 126 ? 2 : length < 65536 ? 4 : 10);

/** A server's text frame (FIN, opcode 1, unmasked; RFC 6455 section 5.2) carrying `payload`. */
export function textFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(headLength(payload.length) + payload.length);
  payload.copy(frame, frameHead(frame, 0x81, payload.length));
  return frame;
}

/** A text frame of a string, encoded straight into the frame. */
export function textFrameOf(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(headLength(length) + length);
  frame.write(text, frameHead(frame, 0x81, length), 'utf8');
  return frame;
}

/** A control frame (ping, pong, close) with up to 125 bytes of payload. */
export function controlFrame(opcode: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(2 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = payload.length;
  payload.copy(frame, 2);
  return frame;
}

/** A close frame with `code` and as much of `reason` as fits whole characters in 123 bytes. */
export function closeFrame(code: number, reason = ''): Buffer {
  let text = reason;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  const payload = Buffer.allocUnsafe(2 + Buffer.byteLength(text));
  payload.writeUInt16BE(code, 0);
  payload.write(text, 2, 'utf8');
  return controlFrame(Opcode.Close, payload);
}

/** The server's protocol ping: no payload, one Buffer for everyone. */
export const PING_FRAME = controlFrame(Opcode.Ping, Buffer.alloc(0));
