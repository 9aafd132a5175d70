import { ZhixinError } from '@zhixin/sdk';

/** What to tell the user about a failure: a key of the `auth` namespace's `errors`, maybe a wait. */
export interface ErrorDescription {
  key: string;
  /** How long until trying again makes sense, when the server said so. */
  waitSeconds?: number;
  /** The server's own text, for codes without a message of ours. */
  detail?: string;
}

const KEYS: Record<string, string> = {
  INVALID_CREDENTIALS: 'invalidCredentials',
  SMS_CODE_INVALID: 'smsCodeInvalid',
  ACCOUNT_LOCKED: 'accountLocked',
  RATE_LIMITED: 'rateLimited',
  ACCOUNT_DISABLED: 'accountDisabled',
  PHONE_TAKEN: 'phoneTaken',
  PASSWORD_WEAK: 'passwordWeak',
  NOT_FOUND: 'unknownPhone',
  LICENSE_EXHAUSTED: 'licenseExhausted',
  REGISTRATION_CLOSED: 'registrationClosed',
  VALIDATION_FAILED: 'invalidInput',
  BAD_REQUEST: 'invalidInput',
  FORBIDDEN: 'forbidden',
  PAYLOAD_TOO_LARGE: 'tooLarge',
  UNAUTHENTICATED: 'sessionExpired',
  TOKEN_EXPIRED: 'sessionExpired',
  TOKEN_INVALID: 'sessionExpired',
  SESSION_REVOKED: 'sessionExpired',
  TIMEOUT: 'network',
  NETWORK_ERROR: 'network',
  CONNECTION_CLOSED: 'network',
  BAD_RESPONSE: 'unavailable',
  UNAVAILABLE: 'unavailable',
  SEALED: 'unavailable',
  SLOW_CONSUMER: 'network',
  INTERNAL: 'internal',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Seconds to wait from `details.retryAfterSeconds`, `details.retryAfterMs` or `Retry-After`. */
export function waitSecondsOf(err: ZhixinError): number | undefined {
  if (isRecord(err.details) && typeof err.details.retryAfterSeconds === 'number')
    return Math.max(1, Math.ceil(err.details.retryAfterSeconds));
  const ms = err.retryAfterMs();
  return ms === undefined ? undefined : Math.max(1, Math.ceil(ms / 1000));
}

/** Map any thrown value to a message key (and wait) for the sign-in and account screens. */
export function describeError(err: unknown): ErrorDescription {
  const e = ZhixinError.from(err);
  const key = KEYS[e.code] ?? 'unknown';
  const out: ErrorDescription = { key };
  if (key === 'rateLimited' || key === 'accountLocked') {
    const wait = waitSecondsOf(e);
    if (wait !== undefined) out.waitSeconds = wait;
  }
  if (key === 'unknown') out.detail = e.message;
  return out;
}

export type WaitUnit = 'seconds' | 'minutes' | 'hours';

/** A wait in the unit people read best: under a minute in seconds, under two hours in minutes. */
export function splitWait(seconds: number): { count: number; unit: WaitUnit } {
  if (seconds < 60) return { count: Math.max(1, Math.ceil(seconds)), unit: 'seconds' };
  if (seconds < 7200) return { count: Math.ceil(seconds / 60), unit: 'minutes' };
  return { count: Math.ceil(seconds / 3600), unit: 'hours' };
}
