import { describe, expect, it } from 'vitest';
import { collectMentions, insertMention, matchesQuery, mentionQueryAt, segmentText } from './mentions.ts';

describe('mentionQueryAt', () => {
  it('finds the text typed after @ up to the caret', () => {
    expect(mentionQueryAt('你好 @张', 5)).toEqual({ start: 3, query: '张' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('找@', 2)).toEqual({ start: 1, query: '' });
  });

  it('ends the mention at whitespace and ignores text without @', () => {
    expect(mentionQueryAt('@张三 你好', 6)).toBeNull();
    expect(mentionQueryAt('你好', 2)).toBeNull();
  });

  it('looks only before the caret', () => {
    expect(mentionQueryAt('ab @cd', 2)).toBeNull();
  });
});

describe('insertMention and collectMentions', () => {
  it('replaces the typed query with the name and moves the caret after it', () => {
    const typed = '请 @张 看一下';
    expect(insertMention(typed, 2, 4, '张三')).toEqual({ text: '请 @张三  看一下', caret: 6 });
  });

  it('sends only the picks whose @name is still in the text, once each', () => {
    const picks = [
      { userId: 'u1', name: '张三' },
      { userId: 'u2', name: '李四' },
      { userId: 'u1', name: '张三' },
      { userId: 'all', name: '所有人' },
    ];
    expect(collectMentions('@张三 @所有人 开会', picks)).toEqual(['u1', 'all']);
    expect(collectMentions('没有提到谁', picks)).toEqual([]);
  });

  it('matches names case-insensitively and everything for an empty query', () => {
    expect(matchesQuery('Alice', 'ali')).toBe(true);
    expect(matchesQuery('Alice', '')).toBe(true);
    expect(matchesQuery('Alice', 'bob')).toBe(false);
  });
});

describe('segmentText', () => {
  it('highlights mentions of known names, preferring the longest', () => {
    expect(segmentText('@张三丰 和 @张三 好', ['张三', '张三丰'])).toEqual([
      { kind: 'mention', text: '@张三丰' },
      { kind: 'text', text: ' 和 ' },
      { kind: 'mention', text: '@张三' },
      { kind: 'text', text: ' 好' },
    ]);
  });

  it('leaves an @ of an unknown name as plain text', () => {
    expect(segmentText('mail me @ home', [])).toEqual([{ kind: 'text', text: 'mail me @ home' }]);
  });

  it('makes links clickable without swallowing closing punctuation', () => {
    expect(segmentText('看 https://example.com/a?b=1. 和 www.zhixin.cn，好', [])).toEqual([
      { kind: 'text', text: '看 ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. 和 ' },
      { kind: 'link', text: 'www.zhixin.cn', href: 'https://www.zhixin.cn' },
      { kind: 'text', text: '，好' },
    ]);
  });
});
