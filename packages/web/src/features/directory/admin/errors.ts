import { ZhixinError } from '@zhixin/sdk';
import type { TFunction } from 'i18next';

const KNOWN = new Set([
  'DEPARTMENT_CYCLE',
  'DEPARTMENT_NOT_EMPTY',
  'DIRECTORY_SOURCE_FAILED',
  'CONFLICT',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'FORBIDDEN',
]);

/** What to tell an administrator about a failed directory call. */
export function directoryErrorText(t: TFunction<'directory'>, err: unknown): string {
  if (err instanceof ZhixinError && KNOWN.has(err.code)) return t(`admin.errors.${err.code}`);
  return t('admin.errors.unknown', { detail: err instanceof Error ? err.message : String(err) });
}
