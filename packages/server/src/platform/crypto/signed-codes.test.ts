import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CodeSigner } from './signed-codes.ts';

const mac = (key: string) => (d: string) => createHmac('sha256', key).update(d).digest('base64url');

describe('signed security codes', () => {
  let now = 1_000;
  const codes = new CodeSigner(mac('k1'), () => now);

  it('round-trips the claims of a genuine code', () => {
    const text = codes.sign({ kind: 'g', subject: 'group-1', version: 3, expiresAt: null });
    expect(text.startsWith('ZX1.g.')).toBe(true);
    expect(codes.verify(text, 'g')).toEqual({
      kind: 'g',
      subject: 'group-1',
      version: 3,
      expiresAt: null,
      data: undefined,
    });
    expect(CodeSigner.kindOf(text)).toBe('g');
  });

  it('refuses a code signed with another key, an altered payload, or the wrong kind', () => {
    const text = codes.sign({ kind: 'u', subject: 'user-1', version: 1, expiresAt: null });
    const forged = new CodeSigner(mac('other')).sign({
      kind: 'u',
      subject: 'user-1',
      version: 1,
      expiresAt: null,
    });
    expect(() => codes.verify(forged)).toThrow(expect.objectContaining({ code: 'CODE_INVALID' }));
    const [p, k, , m] = text.split('.');
    const altered = `${p}.${k}.${Buffer.from(JSON.stringify({ s: 'user-2', v: 1, e: null })).toString('base64url')}.${m}`;
    expect(() => codes.verify(altered)).toThrow(expect.objectContaining({ code: 'CODE_INVALID' }));
    expect(() => codes.verify(text, 'g')).toThrow(expect.objectContaining({ code: 'CODE_INVALID' }));
    expect(() => codes.verify('not a code')).toThrow(expect.objectContaining({ code: 'CODE_INVALID' }));
    expect(CodeSigner.kindOf('https://example.com')).toBeNull();
  });

  it('refuses an expired code', () => {
    const text = codes.sign({ kind: 'l', subject: 'login-1', version: 0, expiresAt: 2_000, data: 'x' });
    expect(codes.verify(text).data).toBe('x');
    now = 2_000;
    expect(() => codes.verify(text)).toThrow(expect.objectContaining({ code: 'CODE_EXPIRED' }));
  });
});
