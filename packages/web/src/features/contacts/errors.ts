import { ZhixinError } from '@zhixin/sdk';

/** A key of the `contacts` namespace's `errors`, and the server's text for codes we have none for. */
export interface ContactsErrorText {
  key: string;
  detail?: string;
}

const KEYS: Record<string, string> = {
  NOT_FOUND: 'notFound',
  CONTACT_SELF: 'self',
  VALIDATION_FAILED: 'invalidPhone',
  GROUP_FULL: 'groupFull',
  FORBIDDEN: 'forbidden',
  NOT_MEMBER: 'notMember',
  FRIEND_REQUESTS_CLOSED: 'closed',
  ALREADY_FRIENDS: 'alreadyFriends',
  NOT_FRIENDS: 'notFriends',
  FRIEND_REQUEST_HANDLED: 'requestHandled',
  FRIEND_REQUEST_EXPIRED: 'requestExpired',
  BLOCKED: 'blocked',
  TIMEOUT: 'network',
  NETWORK_ERROR: 'network',
  CONNECTION_CLOSED: 'network',
  UNAVAILABLE: 'network',
};

/**
 * What to say about a failed contacts or groups call. `VALIDATION_FAILED` means a bad phone number
 * for a lookup; callers of other operations validate their input first, so it rarely reaches them.
 */
export function describeContactsError(err: unknown): ContactsErrorText {
  if (err instanceof ZhixinError) {
    const key = KEYS[err.code];
    return key ? { key } : { key: 'unknown', detail: err.message };
  }
  return { key: 'unknown', detail: err instanceof Error ? err.message : String(err) };
}
