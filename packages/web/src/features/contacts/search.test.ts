import { describe, expect, it } from 'vitest';
import { matchesName, normalizeQuery } from './search.ts';

const zhang = { remark: '老张', nickname: '张三' };
const amy = { remark: '', nickname: 'Amy Wang' };

describe('matchesName', () => {
  it('matches everyone on an empty or blank query', () => {
    expect(matchesName('', zhang)).toBe(true);
    expect(matchesName('   ', amy)).toBe(true);
  });

  it('finds by remark and by nickname', () => {
    expect(matchesName('老张', zhang)).toBe(true);
    expect(matchesName('三', zhang)).toBe(true);
    expect(matchesName('李', zhang)).toBe(false);
  });

  it('ignores case and spaces', () => {
    expect(matchesName('amyw', amy)).toBe(true);
    expect(matchesName(' WANG ', amy)).toBe(true);
  });

  it('finds Chinese names by their pinyin initials', () => {
    expect(matchesName('zs', zhang)).toBe(true);
    expect(matchesName('lz', zhang)).toBe(true);
    expect(matchesName('ZS', zhang)).toBe(true);
    expect(matchesName('sz', zhang)).toBe(false);
  });

  it('does not use initials for queries with other characters', () => {
    expect(matchesName('z1', zhang)).toBe(false);
  });
});

describe('normalizeQuery', () => {
  it('trims, lower-cases and drops inner spaces', () => {
    expect(normalizeQuery('  A b ')).toBe('ab');
  });
});
