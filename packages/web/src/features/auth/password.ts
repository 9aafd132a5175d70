export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export type PasswordStrength = 'tooShort' | 'weak' | 'medium' | 'strong';

/**
 * A hint, not a rule (the server's rule is 8 to 128 characters, not only digits, not one repeated
 * character, not a common password, not the phone number: PASSWORD_WEAK): length plus the kinds of
 * characters used (lower, upper, digits, others).
 */
export function passwordStrength(password: string): PasswordStrength {
  if (password.length < PASSWORD_MIN) return 'tooShort';
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z\d]/].filter((re) => re.test(password)).length;
  if (kinds >= 3 && password.length >= 10) return 'strong';
  if (kinds >= 2) return 'medium';
  return 'weak';
}
