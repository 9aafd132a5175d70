import { ZhixinError } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import { describeContactsError } from './errors.ts';

describe('describeContactsError', () => {
  it('names the typed failures of a phone lookup and an add', () => {
    expect(describeContactsError(new ZhixinError('NOT_FOUND', 'user not found')).key).toBe('notFound');
    expect(describeContactsError(new ZhixinError('CONTACT_SELF', 'self')).key).toBe('self');
    expect(describeContactsError(new ZhixinError('VALIDATION_FAILED', 'bad')).key).toBe('invalidPhone');
  });

  it('names the typed failures of friend requests and blocks', () => {
    const codes = ['FRIEND_REQUESTS_CLOSED', 'ALREADY_FRIENDS', 'FRIEND_REQUEST_EXPIRED', 'BLOCKED'] as const;
    const keys = codes.map((code) => describeContactsError(new ZhixinError(code, code)).key);
    expect(keys).toEqual(['closed', 'alreadyFriends', 'requestExpired', 'blocked']);
  });

  it('treats client-side transport failures as network errors', () => {
    expect(describeContactsError(ZhixinError.timeout('contacts.add', 1000)).key).toBe('network');
    expect(describeContactsError(ZhixinError.network()).key).toBe('network');
  });

  it('passes the message of anything else through', () => {
    expect(describeContactsError(new ZhixinError('INTERNAL', 'boom'))).toEqual({
      key: 'unknown',
      detail: 'boom',
    });
    expect(describeContactsError(new Error('odd'))).toEqual({ key: 'unknown', detail: 'odd' });
  });
});
