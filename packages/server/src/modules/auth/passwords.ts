import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { AppError } from '../../errors.ts';
import { randomToken } from '../../platform/ids.ts';

// `Algorithm` is a const enum in the typings, which isolatedModules cannot inline; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** OWASP's recommended argon2id cost: 19 MiB, 2 passes, one lane (stated, not left to the library). */
const COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** An argon2id PHC string at COST (the parameters travel in the string, so old hashes still verify). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...COST });
}

/** Whether the password matches; false (never a throw) for a malformed stored hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** Compute the stand-in hash ahead of the first login, so that one is not slower either. */
export function primeDummyHash(): Promise<string> {
  dummy ??= hashPassword(randomToken(16));
  return dummy;
}

/**
 * Spend the time a real check costs when there is no account, so response times do not reveal
 * which phone numbers are registered. Always false.
 */
export async function verifyNothing(password: string): Promise<false> {
  await verifyPassword(await primeDummyHash(), password);
  return false;
}

/** A strong password for generated admin accounts: 144 random bits, URL-safe. */
export function generatePassword(): string {
  return randomToken(18);
}

/** Passwords tried first by every guesser (lower-cased); the schema already refuses anything shorter than 8. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  'iloveyou',
  'abcd1234',
  'a1234567',
  'abc12345',
  'abcdefgh',
  '1qaz2wsx',
  'asdfghjk',
  'woaini520',
  'woaini1314',
  'zhixin123',
]);

/**
 * The password policy for every password a person chooses (registration, reset, change, staff reset):
 * PASSWORD_WEAK with `details.reason` when it is only digits, one repeated character, a common
 * password, or holds the account's phone number. The length (8–128) is the schema's.
 */
export function checkPasswordPolicy(password: string, phone: string): void {
  const weak = (reason: string): never => {
    throw new AppError('PASSWORD_WEAK', { reason });
  };
  if (password.length < 8) weak('too_short');
  if (/^[0-9]+$/.test(password)) weak('only_digits');
  if (new Set(password).size === 1) weak('one_character');
  if (COMMON_PASSWORDS.has(password.toLowerCase())) weak('common');
  // The national number (the last 11 digits of a mainland E.164 number; the whole number otherwise).
  const digits = phone.replace(/\D/g, '');
  const national = digits.startsWith('86') && digits.length === 13 ? digits.slice(2) : digits;
  if (national.length >= 6 && password.replace(/\D/g, '').includes(national)) weak('contains_phone');
}
