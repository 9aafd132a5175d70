import { describe, expect, it } from 'vitest';
import { newId } from '../platform/ids.ts';
import { digestOf, digestWith, digestWithout, isDigest, userHash } from './user-set-digest.ts';

describe('user set digest', () => {
  const ids = Array.from({ length: 2000 }, () => newId());

  it('does not depend on the order users came in, and taking one out undoes adding it', () => {
    const shuffled = [...ids].reverse();
    expect(digestOf(shuffled)).toBe(digestOf(ids));
    const one = ids[7]!;
    expect(digestWithout(digestWith(digestOf(ids), 'extra'), 'extra')).toBe(digestOf(ids));
    expect(digestWithout(digestOf(ids), one)).toBe(digestOf(ids.filter((id) => id !== one)));
    expect(digestOf([])).toBe(0);
  });

  it('tells apart sets of the same size that differ by one user', () => {
    const base = digestOf(ids);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(digestWith(digestWithout(base, ids[i]!), `other-${i}`));
    expect(seen.size).toBe(500);
    expect(seen.has(base)).toBe(false);
  });

  it('hashes into 52 bits, spread over all of them', () => {
    const hashes = ids.map(userHash);
    expect(new Set(hashes).size).toBe(ids.length);
    for (const h of hashes) expect(isDigest(h)).toBe(true);
    // Each of the 52 bits is set in roughly half of the hashes.
    for (let bit = 0; bit < 52; bit++) {
      const set = hashes.filter((h) => Math.floor(h / 2 ** bit) % 2 === 1).length;
      expect(set / hashes.length).toBeGreaterThan(0.4);
      expect(set / hashes.length).toBeLessThan(0.6);
    }
  });

  it('accepts only safe integers in range as a digest', () => {
    for (const bad of [-1, 2 ** 52, 1.5, '5', null, Number.NaN]) expect(isDigest(bad)).toBe(false);
    expect(isDigest(0)).toBe(true);
  });
});
