import { PASSWORD_MAX, PASSWORD_MIN } from './password.ts';
import { isValidPhone } from './phone.ts';

/** Each check answers with a key of the `auth` namespace's `invalid` messages, or null when fine. */
export type Check = (value: string) => string | null;

export const checkPhone: Check = (v) =>
  !v.trim() ? 'phoneRequired' : isValidPhone(v) ? null : 'phoneInvalid';

export const checkCode: Check = (v) => (!v ? 'codeRequired' : /^\d{6}$/.test(v) ? null : 'codeInvalid');

export const checkPassword: Check = (v) =>
  !v
    ? 'passwordRequired'
    : v.length < PASSWORD_MIN
      ? 'passwordShort'
      : v.length > PASSWORD_MAX
        ? 'passwordLong'
        : null;

export const checkNickname: Check = (v) => {
  const n = Array.from(v.trim()).length;
  return n === 0 ? 'nicknameRequired' : n > 32 ? 'nicknameLong' : null;
};

/** Run the checks of a form; the result holds only the fields that failed. */
export function validateAll<K extends string>(
  values: Record<K, string>,
  checks: Partial<Record<K, Check>>,
): Partial<Record<K, string>> {
  const errors: Partial<Record<K, string>> = {};
  for (const key of Object.keys(checks) as K[]) {
    const problem = checks[key]?.(values[key]);
    if (problem) errors[key] = problem;
  }
  return errors;
}
