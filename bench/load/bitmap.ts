/**
 * The message-number bitmaps of a traffic run (types.ts AgentTrafficPart): bit n of a sender's
 * bitmap says message n was acked (or received). Bit n is byte n >> 3, mask 1 << (n & 7); shipped as
 * base64, so a run of millions of messages crosses the IPC channel as kilobytes.
 */
export class Bitmap {
  private bytes: Uint8Array;

  constructor(bytes: Uint8Array = new Uint8Array(16)) {
    this.bytes = bytes;
  }

  /** Set bit n; returns false if it was already set. */
  set(n: number): boolean {
    const i = n >> 3;
    if (i >= this.bytes.length) {
      const grown = new Uint8Array(Math.max(i + 1, this.bytes.length * 2));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    const mask = 1 << (n & 7);
    if ((this.bytes[i]! & mask) !== 0) return false;
    this.bytes[i] = this.bytes[i]! | mask;
    return true;
  }

  has(n: number): boolean {
    const i = n >> 3;
    return i < this.bytes.length && (this.bytes[i]! & (1 << (n & 7))) !== 0;
  }

  /** Bits set. */
  count(): number {
    let c = 0;
    for (const b of this.bytes) {
      let x = b;
      while (x !== 0) {
        x &= x - 1;
        c++;
      }
    }
    return c;
  }

  /** Every set bit, ascending. */
  *values(): Generator<number> {
    for (let i = 0; i < this.bytes.length; i++) {
      const b = this.bytes[i]!;
      if (b === 0) continue;
      for (let j = 0; j < 8; j++) if ((b & (1 << j)) !== 0) yield i * 8 + j;
    }
  }

  /** Bitwise OR of another bitmap into this one (an agent's parts of one sender). */
  or(other: Bitmap): this {
    for (const n of other.values()) this.set(n);
    return this;
  }

  toBase64(): string {
    let end = this.bytes.length;
    while (end > 0 && this.bytes[end - 1] === 0) end--;
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, end).toString('base64');
  }

  static fromBase64(text: string): Bitmap {
    const buf = Buffer.from(text, 'base64');
    return new Bitmap(new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)));
  }
}
