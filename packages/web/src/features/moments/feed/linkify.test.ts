import { describe, expect, it } from 'vitest';
import { linkify } from './linkify.ts';

describe('linkify', () => {
  it('turns http and https addresses into links and keeps the rest as text', () => {
    expect(linkify('看这个 https://zhixin.example/a?b=1 不错')).toEqual([
      { kind: 'text', text: '看这个 ' },
      { kind: 'link', text: 'https://zhixin.example/a?b=1', href: 'https://zhixin.example/a?b=1' },
      { kind: 'text', text: ' 不错' },
    ]);
  });

  it('leaves sentence punctuation and Chinese punctuation outside the link', () => {
    expect(linkify('见 http://a.example/x。谢谢')).toEqual([
      { kind: 'text', text: '见 ' },
      { kind: 'link', text: 'http://a.example/x', href: 'http://a.example/x' },
      { kind: 'text', text: '。谢谢' },
    ]);
    expect(linkify('(https://a.example).')[1]).toEqual({
      kind: 'link',
      text: 'https://a.example',
      href: 'https://a.example',
    });
  });

  it('never makes a link of other schemes or of markup', () => {
    expect(linkify('javascript:alert(1) <img src=x onerror=alert(1)>')).toEqual([
      { kind: 'text', text: 'javascript:alert(1) <img src=x onerror=alert(1)>' },
    ]);
  });
});
