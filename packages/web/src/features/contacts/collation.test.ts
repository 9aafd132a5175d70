import { describe, expect, it } from 'vitest';
import { compareNames, initialOf, letterOfChar, pinyinInitials, sectionsByInitial } from './collation.ts';

describe('initialOf', () => {
  it('finds the pinyin letter of Chinese names', () => {
    expect(initialOf('阿明')).toBe('A');
    expect(initialOf('白')).toBe('B');
    expect(initialOf('李四')).toBe('L');
    expect(initialOf('欧阳娜娜')).toBe('O');
    expect(initialOf('王五')).toBe('W');
    expect(initialOf('薛')).toBe('X');
    expect(initialOf('一')).toBe('Y');
    expect(initialOf('张三')).toBe('Z');
    expect(initialOf('朱')).toBe('Z');
  });

  it('puts the first character of each boundary exactly on its letter', () => {
    expect(initialOf('八')).toBe('B');
    expect(initialOf('哈')).toBe('H');
    expect(initialOf('帀')).toBe('Z');
  });

  it('upper-cases Latin initials and ignores leading spaces', () => {
    expect(initialOf('alice')).toBe('A');
    expect(initialOf('  Bob')).toBe('B');
  });

  it('files digits, symbols, emoji and empty names under #', () => {
    expect(initialOf('123')).toBe('#');
    expect(initialOf('_x')).toBe('#');
    expect(initialOf('😀')).toBe('#');
    expect(initialOf('')).toBe('#');
  });
});

describe('letterOfChar', () => {
  it('answers null for characters without a letter', () => {
    expect(letterOfChar('1')).toBeNull();
    expect(letterOfChar('。')).toBeNull();
  });
});

describe('pinyinInitials', () => {
  it('joins the initials of every character', () => {
    expect(pinyinInitials('张三')).toBe('zs');
    expect(pinyinInitials('王Amy')).toBe('wamy');
    expect(pinyinInitials('李 4')).toBe('l');
  });
});

describe('sectionsByInitial', () => {
  it('groups names A..Z with # last, each section in Chinese order', () => {
    const names = ['张三', 'bob', '123', '李四', '阿明', 'Alice', '赵六', '😀'];
    const sections = sectionsByInitial(names, (n) => n);
    expect(sections.map((s) => s.letter)).toEqual(['A', 'B', 'L', 'Z', '#']);
    expect(sections[0]?.items).toEqual(['阿明', 'Alice']);
    expect(sections[3]?.items).toEqual(['张三', '赵六']);
    expect(sections[4]?.items).toHaveLength(2);
  });

  it('answers no sections for no items', () => {
    expect(sectionsByInitial([], (n: string) => n)).toEqual([]);
  });
});

describe('compareNames', () => {
  it('orders by pinyin, not by code point', () => {
    // By code point 张 (U+5F20) comes before 李 (U+674E); by pinyin li < zhang.
    expect(compareNames('李', '张')).toBeLessThan(0);
    expect(compareNames('file2', 'file10')).toBeLessThan(0);
  });
});
