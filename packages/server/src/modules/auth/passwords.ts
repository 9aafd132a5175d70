import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { randomToken } from '../../platform/ids.ts';

// `Algorithm` is a const enum in the typings, which isolatedModules cannot inline; 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/** An argon2id PHC string (OWASP's recommended cost: 19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
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
