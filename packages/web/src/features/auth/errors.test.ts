import { ZhixinError } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import { describeError, splitWait } from './errors.ts';

const server = (code: string, details?: unknown) =>
  ZhixinError.fromBody({ error: { code, message: code, details } });

describe('describeError', () => {
  it('maps the sign-in failures to their own messages', () => {
    expect(describeError(server('INVALID_CREDENTIALS')).key).toBe('invalidCredentials');
    expect(describeError(server('SMS_CODE_INVALID')).key).toBe('smsCodeInvalid');
    expect(describeError(server('PHONE_TAKEN')).key).toBe('phoneTaken');
    expect(describeError(server('PASSWORD_WEAK')).key).toBe('passwordWeak');
    expect(describeError(server('ACCOUNT_DISABLED')).key).toBe('accountDisabled');
    expect(describeError(server('NOT_FOUND')).key).toBe('unknownPhone');
    expect(describeError(server('LICENSE_EXHAUSTED')).key).toBe('licenseExhausted');
  });

  it('carries the wait of a lock or rate limit from the details', () => {
    expect(describeError(server('ACCOUNT_LOCKED', { retryAfterSeconds: 900 }))).toEqual({
      key: 'accountLocked',
      waitSeconds: 900,
    });
    expect(describeError(server('RATE_LIMITED', { retryAfterSeconds: 42 })).waitSeconds).toBe(42);
    expect(describeError(server('RATE_LIMITED', { retryAfterMs: 1500 })).waitSeconds).toBe(2);
    expect(describeError(server('RATE_LIMITED')).waitSeconds).toBeUndefined();
  });

  it('treats anything thrown that is not a ZhixinError as a network failure', () => {
    expect(describeError(new TypeError('Failed to fetch')).key).toBe('network');
    expect(describeError(ZhixinError.timeout()).key).toBe('network');
  });

  it('keeps the server text for codes it does not know', () => {
    expect(describeError(server('SOMETHING_NEW'))).toEqual({ key: 'unknown', detail: 'SOMETHING_NEW' });
  });
});

describe('splitWait', () => {
  it('uses seconds under a minute, minutes under two hours, then hours', () => {
    expect(splitWait(42)).toEqual({ count: 42, unit: 'seconds' });
    expect(splitWait(61)).toEqual({ count: 2, unit: 'minutes' });
    expect(splitWait(900)).toEqual({ count: 15, unit: 'minutes' });
    expect(splitWait(86_000)).toEqual({ count: 24, unit: 'hours' });
  });
});
