import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bitmap } from './bitmap.ts';

describe('message-number bitmaps', () => {
  it('puts bit n in byte n >> 3 under mask 1 << (n & 7)', () => {
    const b = new Bitmap();
    b.set(0);
    b.set(9);
    const bytes = Buffer.from(b.toBase64(), 'base64');
    expect([...bytes]).toEqual([0b0000_0001, 0b0000_0010]);
  });

  it('says when a bit was already set (a duplicate)', () => {
    const b = new Bitmap();
    expect(b.set(5)).toBe(true);
    expect(b.set(5)).toBe(false);
    expect(b.count()).toBe(1);
  });

  it('survives base64 and merges with or', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100_000)), fc.array(fc.nat(100_000)), (xs, ys) => {
        const a = new Bitmap();
        const b = new Bitmap();
        for (const x of xs) a.set(x);
        for (const y of ys) b.set(y);
        const back = Bitmap.fromBase64(a.toBase64());
        const want = [...new Set(xs)].sort((p, q) => p - q);
        expect([...back.values()]).toEqual(want);
        expect(back.count()).toBe(want.length);
        for (const x of xs) expect(back.has(x)).toBe(true);
        const union = back.or(b);
        expect([...union.values()]).toEqual([...new Set([...xs, ...ys])].sort((p, q) => p - q));
      }),
    );
  });

  it('ships a million consecutive messages in about 170 KiB of base64', () => {
    const b = new Bitmap();
    for (let n = 0; n < 1_000_000; n++) b.set(n);
    expect(b.toBase64().length).toBeLessThan(170_000);
    expect(Bitmap.fromBase64(b.toBase64()).has(999_999)).toBe(true);
    expect(Bitmap.fromBase64(b.toBase64()).has(1_000_000)).toBe(false);
    expect(new Bitmap().toBase64()).toBe('');
  });
});
