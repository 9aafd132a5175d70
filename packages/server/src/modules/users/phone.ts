import { AppError } from '../../errors.ts';

const MAINLAND = /^1[3-9][0-9]{9}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * A phone number in E.164, the one form stored and indexed: mainland mobile numbers written without
 * a country code get +86. Spaces and dashes are ignored. Throws VALIDATION_FAILED otherwise.
 */
export function normalizePhone(raw: string): string {
  const compact = raw.replace(/[\s-]/g, '');
  if (MAINLAND.test(compact)) return `+86${compact}`;
  if (E164.test(compact) && (!compact.startsWith('+86') || MAINLAND.test(compact.slice(3)))) return compact;
  throw AppError.validation([{ path: '/phone', message: 'not a valid phone number' }]);
}
