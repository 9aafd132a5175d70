import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FrameError,
  Opcode,
  acceptFor,
  encodeClose,
  encodeFrame,
  encodePong,
  encodeText,
  newParserState,
  parseFrames,
  parseUpgradeResponse,
  unmask,
  upgradeRequest,
} from './frames.ts';

/** A server frame (unmasked), optionally without FIN, with the length in the given encoding. */
function serverFrame(opcode: number, payload: Buffer, fin = true, lengthBytes?: 0 | 2 | 8): Buffer {
  const len = payload.length;
  const form = lengthBytes ?? (len < 126 ? 0 : len < 0x1_0000 ? 2 : 8);
  const head = Buffer.alloc(2 + form);
  head[0] = (fin ? 0x80 : 0) | opcode;
  if (form === 0) head[1] = len;
  else if (form === 2) {
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

type Seen = Array<[number, string]>;

/** Feed `chunks` one by one into a fresh parser; returns what came out as [opcode, utf8 payload]. */
function parseAll(chunks: Buffer[]): Seen {
  const state = newParserState();
  const seen: Seen = [];
  for (const c of chunks) parseFrames(state, c, (op, p) => seen.push([op, p.toString('utf8')]));
  return seen;
}

/** Decode a client (masked) frame as a server would. */
function decodeClient(frame: Buffer): { fin: boolean; opcode: number; masked: boolean; payload: Buffer } {
  let len = frame[1]! & 0x7f;
  let off = 2;
  if (len === 126) {
    len = frame.readUInt16BE(2);
    off = 4;
  } else if (len === 127) {
    len = Number(frame.readBigUInt64BE(2));
    off = 10;
  }
  const key = frame.subarray(off, off + 4);
  const payload = unmask(Buffer.from(frame.subarray(off + 4, off + 4 + len)), key);
  expect(frame.length).toBe(off + 4 + len);
  return {
    fin: (frame[0]! & 0x80) !== 0,
    opcode: frame[0]! & 0x0f,
    masked: (frame[1]! & 0x80) !== 0,
    payload,
  };
}

describe('client frames', () => {
  it('masks text frames of every length form so a server unmasks the same text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        (text, key) => {
          const f = decodeClient(encodeText(text, key));
          expect(f).toMatchObject({ fin: true, opcode: Opcode.Text, masked: true });
          expect(f.payload.toString('utf8')).toBe(text);
        },
      ),
    );
    for (const len of [125, 126, 65_535, 65_536, 70_000]) {
      const text = 'x'.repeat(len);
      expect(decodeClient(encodeText(text)).payload.toString()).toBe(text);
    }
  });

  it('encodes pong and close control frames', () => {
    const pong = decodeClient(encodePong(Buffer.from('abc')));
    expect(pong).toMatchObject({ opcode: Opcode.Pong, masked: true });
    expect(pong.payload.toString()).toBe('abc');
    const close = decodeClient(encodeClose(4002, 'bye'));
    expect(close.opcode).toBe(Opcode.Close);
    expect(close.payload.readUInt16BE(0)).toBe(4002);
    expect(close.payload.toString('utf8', 2)).toBe('bye');
  });

  it('builds the upgrade request and checks the accept header', () => {
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    expect(acceptFor(key)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo='); // RFC 6455 section 1.3
    const req = upgradeRequest('127.0.0.1', 8080, '/ws', key).toString();
    expect(req).toMatch(/^GET \/ws HTTP\/1\.1\r\n/);
    expect(req).toContain(`Sec-WebSocket-Key: ${key}\r\n`);
    expect(req.endsWith('\r\n\r\n')).toBe(true);
    const ok = Buffer.from(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n\x81\x02hi',
      'latin1',
    );
    const accepted = parseUpgradeResponse(ok, acceptFor(key));
    expect(accepted.kind).toBe('accepted');
    expect(accepted.kind === 'accepted' && accepted.rest.toString('latin1')).toBe('\x81\x02hi');
    expect(parseUpgradeResponse(ok.subarray(0, 40), acceptFor(key)).kind).toBe('incomplete');
    expect(parseUpgradeResponse(ok, 'wrong')).toMatchObject({
      kind: 'rejected',
      line: 'bad Sec-WebSocket-Accept',
    });
    expect(parseUpgradeResponse(Buffer.from('HTTP/1.1 503 Service Unavailable\r\n\r\n'), 'x')).toMatchObject({
      kind: 'rejected',
      status: 503,
    });
  });
});

describe('the server frame parser', () => {
  const stream = Buffer.concat([
    serverFrame(Opcode.Text, Buffer.from('{"type":"hello"}')),
    serverFrame(Opcode.Ping, Buffer.from('p1')),
    serverFrame(Opcode.Text, Buffer.from('y'.repeat(300))),
    serverFrame(Opcode.Text, Buffer.from('frag-'), false),
    serverFrame(Opcode.Pong, Buffer.alloc(0)),
    serverFrame(Opcode.Continuation, Buffer.from('men'), false),
    serverFrame(Opcode.Continuation, Buffer.from('ted'), true),
    serverFrame(Opcode.Binary, Buffer.from('bin'), true, 8),
    serverFrame(Opcode.Text, Buffer.from('z'.repeat(70_000))),
    serverFrame(Opcode.Close, Buffer.from([0x03, 0xe8])),
  ]);
  const expected: Seen = [
    [Opcode.Text, '{"type":"hello"}'],
    [Opcode.Ping, 'p1'],
    [Opcode.Text, 'y'.repeat(300)],
    [Opcode.Pong, ''],
    [Opcode.Text, 'frag-mented'],
    [Opcode.Binary, 'bin'],
    [Opcode.Text, 'z'.repeat(70_000)],
    [Opcode.Close, '\x03\ufffd'],
  ];

  it('reads 7, 16 and 64-bit lengths, control frames between fragments, in one chunk', () => {
    expect(parseAll([stream])).toEqual(expected);
  });

  it('reads the same frames split at every byte boundary', () => {
    const small = stream.subarray(0, stream.length - 70_004 - 4);
    const smallExpected = parseAll([small]);
    expect(smallExpected).toHaveLength(6);
    for (let cut = 0; cut <= small.length; cut++) {
      expect(parseAll([small.subarray(0, cut), small.subarray(cut)])).toEqual(smallExpected);
    }
    expect(parseAll([...small].map((b) => Buffer.from([b])))).toEqual(smallExpected);
  });

  it('reads any frames cut into any chunks', () => {
    const frame = fc
      .tuple(fc.constantFrom(Opcode.Text, Opcode.Binary), fc.string({ maxLength: 400 }))
      .map(([op, text]) => serverFrame(op, Buffer.from(text)));
    fc.assert(
      fc.property(
        fc.array(frame, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (frames, cuts) => {
          const all = Buffer.concat(frames);
          const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((x, y) => x - y);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(all.subarray(prev, p));
            prev = p;
          }
          chunks.push(all.subarray(prev));
          expect(parseAll(chunks)).toEqual(parseAll([all]));
          expect(parseAll([all])).toHaveLength(frames.length);
        },
      ),
    );
  });

  it('keeps no buffer between whole frames, and only the tail of a cut one', () => {
    const state = newParserState();
    parseFrames(state, stream.subarray(0, 18), () => {});
    expect(state.rest).toBeNull();
    parseFrames(state, stream.subarray(18, 21), () => {});
    expect(state.rest?.length).toBe(3);
  });

  it('refuses protocol violations', () => {
    const bad = [
      serverFrame(Opcode.Continuation, Buffer.from('x')),
      serverFrame(Opcode.Ping, Buffer.from('x'), false),
      serverFrame(0x3, Buffer.from('x')),
      serverFrame(Opcode.Ping, Buffer.alloc(126)),
      Buffer.concat([
        serverFrame(Opcode.Text, Buffer.from('a'), false),
        serverFrame(Opcode.Text, Buffer.from('b')),
      ]),
    ];
    for (const b of bad) expect(() => parseAll([b])).toThrow(FrameError);
  });

  it('unmasks a masked frame (which a server must not send, but the parser tolerates)', () => {
    const masked = encodeFrame(Opcode.Text, Buffer.from('masked text'));
    expect(parseAll([masked])).toEqual([[Opcode.Text, 'masked text']]);
  });
});
