import { randomBytes } from 'node:crypto';
import { randomBytesPooled } from './random.ts';

/** Crockford's base32, the characters of a ULID. */
export const ULID_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ALPHABET = ULID_ALPHABET;
let lastMs = 0;
let lastRandom = new Uint8Array(10);

/**
 * A ULID: 26 characters, sortable by creation time, monotonic within one process
 * (ids made in the same millisecond increment the random part).
 */
export function newId(now = Date.now()): string {
  if (now <= lastMs) {
    now = lastMs;
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      lastRandom[i] = (lastRandom[i]! + 1) & 0xff;
      if (lastRandom[i] !== 0) break;
    }
  } else {
    lastMs = now;
    lastRandom = new Uint8Array(randomBytesPooled(10));
  }
  let out = '';
  let t = now;
  for (let i = 9; i >= 0; i--) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  // 80 random bits as 16 base32 characters, 5 bits at a time.
  let bits = 0;
  let acc = 0;
  for (const byte of lastRandom) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}

/**
 * The smallest ULID of millisecond `ms`: every id made at or after `ms` sorts above it, every id
 * made before sorts below (a time horizon for id-ordered scans).
 */
export function idFloor(ms: number): string {
  let out = '';
  let t = Math.max(0, Math.floor(ms));
  for (let i = 9; i >= 0; i--) {
    out = ALPHABET[t % 32]! + out;
    t = Math.floor(t / 32);
  }
  return out + '0'.repeat(16);
}

/** A random URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A ULID whose 80 random bits are always fresh. `newId()` increments the random part within one
 * millisecond (to stay monotonic), which makes a neighbour's id guessable: ids that act as
 * capabilities (image URLs) must come from here.
 */
export function newCapabilityId(now = Date.now()): string {
  const time = newId(now).slice(0, 10);
  const random = randomBytes(10);
  let out = time;
  let bits = 0;
  let acc = 0;
  for (const byte of random) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}
