import { describe, expect, it } from 'vitest';
import { LastSeqs } from './last-seqs.ts';

describe('LastSeqs', () => {
  it('keeps the highest seq noted for a conversation', () => {
    const seqs = new LastSeqs(10);
    seqs.note('a', 5);
    seqs.note('a', 3);
    expect(seqs.get('a')).toBe(5);
    seqs.note('a', 9);
    expect(seqs.get('a')).toBe(9);
    expect(seqs.get('b')).toBeUndefined();
  });

  it('forgets the conversation used least recently past its capacity', () => {
    const seqs = new LastSeqs(2);
    seqs.note('a', 1);
    seqs.note('b', 1);
    seqs.note('a', 2);
    seqs.note('c', 1);
    expect(seqs.size).toBe(2);
    expect(seqs.get('b')).toBeUndefined();
    expect(seqs.get('a')).toBe(2);
    expect(seqs.get('c')).toBe(1);
  });

  it('refuses a capacity below one', () => {
    expect(() => new LastSeqs(0)).toThrow(/capacity/);
  });
});
