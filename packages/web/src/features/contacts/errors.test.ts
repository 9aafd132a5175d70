import { ZhixinError } from '@zhixin/sdk';
import { describe, expect, it } from 'vitest';
import { describeContactsError } from './errors.ts';

describe('describeContactsError', () => {
  it('names the typed failures of a phone lookup and an add', () => {
    expect(describeContactsError(new ZhixinError('NOT_FOUND', 'user not found')).key).toBe('notFound');
    expect(describeContactsError(new ZhixinError('CONTACT_SELF', 'self')).key).toBe('self');
    expect(describeContactsError(new ZhixinError('VALIDATION_FAILED', 'bad')).key).toBe('invalidPhone');
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
