import { describe, expect, it } from 'vitest';
import { passwordStrength } from './password.ts';
import { isValidPhone, maskPhone, normalizePhone, phoneTail } from './phone.ts';
import { checkCode, checkNickname, checkPassword, checkPhone, validateAll } from './validate.ts';

describe('phone numbers', () => {
  it('accepts mainland mobiles with or without +86, and other E.164 numbers', () => {
    for (const ok of ['13800138000', '+8613800138000', '19912345678', '+14155550123', '+447911123456'])
      expect(isValidPhone(ok), ok).toBe(true);
  });

  it('refuses landlines, short numbers, wrong prefixes and numbers without +', () => {
    for (const bad of ['12800138000', '1380013800', '138001380001', '4155550123', '+0123456789', '', 'abc'])
      expect(isValidPhone(bad), bad).toBe(false);
  });

  it('ignores the spaces and dashes people type', () => {
    expect(normalizePhone(' 138-0013 8000 ')).toBe('13800138000');
    expect(isValidPhone('138 0013 8000')).toBe(true);
  });

  it('masks the middle digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('+14155550123')).toBe('+141****0123');
  });

  it('takes the last four digits', () => {
    expect(phoneTail('+8613800138000')).toBe('8000');
    expect(phoneTail('12')).toBe('');
  });
});

describe('form checks', () => {
  it('names what is wrong', () => {
    expect(checkPhone('')).toBe('phoneRequired');
    expect(checkPhone('123')).toBe('phoneInvalid');
    expect(checkCode('12345')).toBe('codeInvalid');
    expect(checkCode('123456')).toBeNull();
    expect(checkPassword('short')).toBe('passwordShort');
    expect(checkPassword('long enough')).toBeNull();
    expect(checkNickname('   ')).toBe('nicknameRequired');
    expect(checkNickname('好'.repeat(32))).toBeNull();
    expect(checkNickname('好'.repeat(33))).toBe('nicknameLong');
  });

  it('reports only the failing fields', () => {
    expect(validateAll({ phone: '13800138000', code: 'x' }, { phone: checkPhone, code: checkCode })).toEqual({
      code: 'codeInvalid',
    });
  });
});

describe('password strength', () => {
  it('grows with length and kinds of characters', () => {
    expect(passwordStrength('abc')).toBe('tooShort');
    expect(passwordStrength('abcdefgh')).toBe('weak');
    expect(passwordStrength('abcd1234')).toBe('medium');
    expect(passwordStrength('Abcd1234!x')).toBe('strong');
  });
});
