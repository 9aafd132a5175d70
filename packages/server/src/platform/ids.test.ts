import { describe, expect, it } from 'vitest';
import { newId } from './ids.ts';

describe('newId', () => {
  it('makes 26-character ids that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId(1_795_000_000_000));
    expect(ids.every((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(newId(1_795_000_000_001) > (ids.at(-1) as string)).toBe(true);
  });
});
