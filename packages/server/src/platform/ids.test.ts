import { describe, expect, it } from 'vitest';
import { idFloor, newCapabilityId, newId } from './ids.ts';

describe('newId', () => {
  it('makes 26-character ids that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId(1_795_000_000_000));
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId(1_795_000_000_001) > (ids.at(-1) as string)).toBe(true);
  });
});

describe('newCapabilityId', () => {
  it('draws fresh random bits even within one millisecond, so a neighbour id cannot be guessed', () => {
    const ids = Array.from({ length: 200 }, () => newCapabilityId(1_795_000_000_000));
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect(new Set(ids.map((id) => id.slice(0, 10))).size).toBe(1);
    // Monotonic ids made in one millisecond share all but their last characters; these do not.
    const prefixes = new Set(ids.map((id) => id.slice(0, 20)));
    expect(prefixes.size).toBeGreaterThan(190);
  });
});

describe('idFloor', () => {
  it('sorts below every id of its millisecond and later, above every earlier one', () => {
    const floor = idFloor(1_795_000_000_500);
    expect(floor).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(newCapabilityId(1_795_000_000_499) < floor).toBe(true);
    expect(newCapabilityId(1_795_000_000_500) > floor).toBe(true);
    expect(newCapabilityId(1_795_000_000_501) > floor).toBe(true);
  });
});
