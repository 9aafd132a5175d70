import { ZhixinError } from '@zhixin/sdk';
import type { TFunction } from 'i18next';

const KNOWN = new Set([
  'NOT_FOUND',
  'MESSAGE_TOO_LONG',
  'FORBIDDEN',
  'DIRECTORY_UNAVAILABLE',
  'VALIDATION_FAILED',
]);

/** What to tell an operator about a failed operations-account call. */
export function opsErrorText(t: TFunction<'opsaccount'>, err: unknown): string {
  if (err instanceof ZhixinError && KNOWN.has(err.code)) return t(`errors.${err.code}`);
  return t('errors.unknown', { detail: err instanceof Error ? err.message : String(err) });
}

/** UTF-8 bytes of a text: the server's limit for a message is 2,048. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export const MAX_TEXT_BYTES = 2048;
