import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closeFrame,
  isValidCloseCode,
  Opcode,
  readClientFrames,
  textFrame,
  textFrameOf,
  type FrameReader,
  type ProtocolFault,
} from './websocket-frames.ts';

/** A client frame as a browser writes it: masked with a key. */
function clientFrame(opcode: number, payload: Buffer | string, { fin = true, mask = true, rsv = 0 } = {}) {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = data.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const key = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const frame = Buffer.alloc(head + (mask ? 4 : 0) + n);
  frame[0] = (fin ? 0x80 : 0) | rsv | opcode;
  frame[1] = (mask ? 0x80 : 0) | (n < 126 ? n : n < 65536 ? 126 : 127);
  if (n >= 126 && n < 65536) frame.writeUInt16BE(n, 2);
  if (n >= 65536) frame.writeBigUInt64BE(BigInt(n), 2);
  if (mask) key.copy(frame, head);
  for (let i = 0; i < n; i++) frame[head + (mask ? 4 : 0) + i] = data[i]! ^ (mask ? key[i % 4]! : 0);
  return frame;
}

function reader(): FrameReader & {
  got: Array<[number, string]>;
  feed(b: Buffer, max?: number): ProtocolFault | null;
} {
  const r = {
    rest: null,
    fragments: null,
    fragmentOpcode: 0,
    fragmentBytes: 0,
    got: [] as Array<[number, string]>,
    feed(b: Buffer, max = 1 << 20) {
      return readClientFrames(r, b, max, { frame: (op, p) => r.got.push([op, p.toString()]) });
    },
  };
  return r;
}

describe('reading client frames', () => {
  it('reads masked messages of every length class, in one chunk or split byte by byte', () => {
    const texts = ['hi', '中文消息', 'm'.repeat(300), 'l'.repeat(70_000), ''];
    const all = Buffer.concat(texts.map((t) => clientFrame(Opcode.Text, t)));
    const whole = reader();
    // The reader unmasks in place (the chunk is the socket's, read once): a copy here.
    expect(whole.feed(Buffer.from(all))).toBeNull();
    expect(whole.got).toEqual(texts.map((t) => [Opcode.Text, t]));
    const bytewise = reader();
    for (let i = 0; i < all.length; i++) expect(bytewise.feed(all.subarray(i, i + 1))).toBeNull();
    expect(bytewise.got).toEqual(texts.map((t) => [Opcode.Text, t]));
    expect(bytewise.rest).toBeNull();
  });

  it('joins a fragmented message, with a control frame between its fragments', () => {
    const r = reader();
    const chunk = Buffer.concat([
      clientFrame(Opcode.Text, '你', { fin: false }),
      clientFrame(Opcode.Ping, 'p'),
      clientFrame(Opcode.Continuation, '好', { fin: false }),
      clientFrame(Opcode.Continuation, '!'),
      clientFrame(Opcode.Binary, Buffer.from([1, 2])),
    ]);
    expect(r.feed(chunk)).toBeNull();
    expect(r.got).toEqual([
      [Opcode.Ping, 'p'],
      [Opcode.Text, '你好!'],
      [Opcode.Binary, '\u0001\u0002'],
    ]);
    expect(r.fragments).toBeNull();
  });

  it('keeps an incomplete frame as a copy, not the chunk it came in', () => {
    const r = reader();
    const frame = clientFrame(Opcode.Text, 'x'.repeat(1000));
    const chunk = Buffer.concat([clientFrame(Opcode.Text, 'a'), frame.subarray(0, 500)]);
    expect(r.feed(chunk)).toBeNull();
    expect(r.rest!.length).toBe(500);
    chunk.fill(0);
    expect(r.rest!.equals(frame.subarray(0, 500))).toBe(true);
    expect(r.feed(frame.subarray(500))).toBeNull();
    expect(r.got.map(([, t]) => t.length)).toEqual([1, 1000]);
  });

  it('stops at a close frame and hands it on', () => {
    const r = reader();
    const close = Buffer.alloc(2);
    close.writeUInt16BE(1000);
    expect(
      r.feed(Buffer.concat([clientFrame(Opcode.Close, close), clientFrame(Opcode.Text, 'after')])),
    ).toBeNull();
    expect(r.got).toEqual([[Opcode.Close, close.toString()]]);
    expect(r.rest).toBeNull();
  });

  it.each([
    ['an unmasked frame', clientFrame(Opcode.Text, 'x', { mask: false }), 1002],
    ['a reserved bit (no extension was agreed)', clientFrame(Opcode.Text, 'x', { rsv: 0x40 }), 1002],
    ['an unknown opcode', clientFrame(0x3, 'x'), 1002],
    ['an unknown control opcode', clientFrame(0xb, 'x'), 1002],
    ['a fragmented control frame', clientFrame(Opcode.Ping, 'x', { fin: false }), 1002],
    ['a control frame over 125 bytes', clientFrame(Opcode.Ping, 'x'.repeat(126)), 1002],
    ['a continuation outside a message', clientFrame(Opcode.Continuation, 'x'), 1002],
    [
      'a new message inside a fragmented one',
      Buffer.concat([clientFrame(Opcode.Text, 'a', { fin: false }), clientFrame(Opcode.Text, 'b')]),
      1002,
    ],
    ['text that is not UTF-8', clientFrame(Opcode.Text, Buffer.from([0xc3, 0x28])), 1007],
    ['a close frame of one byte', clientFrame(Opcode.Close, Buffer.from([3])), 1002],
    ['a close code that may not be sent', clientFrame(Opcode.Close, Buffer.from([0x03, 0xed])), 1002],
    ['a close reason that is not UTF-8', clientFrame(Opcode.Close, Buffer.from([0x03, 0xe8, 0xff])), 1007],
  ])('fails the connection for %s', (_what, bytes, code) => {
    const r = reader();
    expect(r.feed(bytes)?.code).toBe(code);
    expect(r.got).toEqual([]);
  });

  it('refuses a message over the limit from its header, before its bytes arrive', () => {
    const r = reader();
    const big = clientFrame(Opcode.Text, 'x'.repeat(2000));
    expect(r.feed(big.subarray(0, 8), 1024)?.code).toBe(1009);
    const parts = reader();
    const first = clientFrame(Opcode.Text, 'x'.repeat(600), { fin: false });
    const second = clientFrame(Opcode.Continuation, 'x'.repeat(600));
    expect(parts.feed(first, 1024)).toBeNull();
    expect(parts.feed(second.subarray(0, 8), 1024)?.code).toBe(1009);
    const huge = Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(reader().feed(huge)?.code).toBe(1009);
  });
});

describe('reading client frames (property)', () => {
  it('yields the messages sent, however they are fragmented and the bytes split', () => {
    const message = fc.record({
      binary: fc.boolean(),
      text: fc.string({ unit: 'grapheme', maxLength: 300 }),
      /** Fragment sizes in bytes; the rest goes in the last fragment. */
      cuts: fc.array(fc.nat({ max: 200 }), { maxLength: 4 }),
      pingBetween: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(message, { maxLength: 6 }),
        fc.array(fc.nat({ max: 64 }), { maxLength: 20 }),
        (msgs, splits) => {
          const frames: Buffer[] = [];
          for (const m of msgs) {
            const data = Buffer.from(m.text);
            const parts: Buffer[] = [];
            let at = 0;
            for (const cut of m.cuts) {
              if (at + cut >= data.length) break;
              parts.push(data.subarray(at, at + cut));
              at += cut;
            }
            parts.push(data.subarray(at));
            parts.forEach((part, i) => {
              const opcode = i === 0 ? (m.binary ? Opcode.Binary : Opcode.Text) : Opcode.Continuation;
              frames.push(clientFrame(opcode, part, { fin: i === parts.length - 1 }));
              if (m.pingBetween && i < parts.length - 1) frames.push(clientFrame(Opcode.Ping, 'p'));
            });
          }
          const stream = Buffer.concat(frames);
          const r = reader();
          let at = 0;
          for (const size of [...splits, stream.length]) {
            const end = Math.min(stream.length, at + size);
            expect(r.feed(Buffer.from(stream.subarray(at, end)))).toBeNull();
            at = end;
          }
          const expected = msgs.flatMap((m) => {
            const pings = m.pingBetween
              ? Array<[number, string]>(Math.max(0, countParts(m) - 1)).fill([Opcode.Ping, 'p'])
              : [];
            return [...pings, [m.binary ? Opcode.Binary : Opcode.Text, m.text] as [number, string]];
          });
          expect(r.got).toEqual(expected);
          expect(r.rest).toBeNull();
          expect(r.fragments).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** How many fragments the property's message is cut into (as the property cuts it). */
function countParts(m: { text: string; cuts: number[] }): number {
  const length = Buffer.byteLength(m.text);
  let at = 0;
  let parts = 1;
  for (const cut of m.cuts) {
    if (at + cut >= length) break;
    at += cut;
    parts++;
  }
  return parts;
}

describe('writing server frames', () => {
  it('builds the RFC 6455 header for each length class', () => {
    expect([...textFrame(Buffer.from('hi'))]).toEqual([0x81, 2, 0x68, 0x69]);
    expect([...textFrame(Buffer.alloc(126, 0x61)).subarray(0, 4)]).toEqual([0x81, 126, 0, 126]);
    expect([...textFrame(Buffer.alloc(65_536, 0x61)).subarray(0, 10)]).toEqual([
      0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0,
    ]);
    for (const text of ['', '中', 'y'.repeat(200), 'z'.repeat(70_000)]) {
      expect(textFrameOf(text)).toEqual(textFrame(Buffer.from(text)));
    }
  });

  it('cuts a close reason to whole characters within 123 bytes', () => {
    const frame = closeFrame(4000, '关'.repeat(50));
    expect(frame[1]).toBe(2 + 123);
    expect(frame.readUInt16BE(2)).toBe(4000);
    expect(frame.subarray(4).toString()).toBe('关'.repeat(41));
  });

  it('knows which close codes a peer may send', () => {
    expect([1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999].every(isValidCloseCode)).toBe(true);
    expect([0, 999, 1004, 1005, 1006, 1015, 2000, 5000].some(isValidCloseCode)).toBe(false);
  });
});
