const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * A random URL-safe id (`[A-Za-z0-9_-]`), `length` characters of 6 bits each: 22 characters give
 * 132 bits, enough for client message ids and device ids. Uses Web Crypto when present.
 */
export function randomId(length = 22): string {
  const bytes = new Uint8Array(length);
  const crypto = globalThis.crypto;
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes);
  else for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}
