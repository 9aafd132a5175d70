import { randomBytes } from 'node:crypto';

const POOL_BYTES = 8192;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * Cryptographically random bytes, cut from a pool refilled 8 KiB at a time: ids and AES-GCM nonces
 * are needed per message, and one CSPRNG call per few bytes is a measurable cost on the send path.
 * A refill allocates a new pool, so slices handed out earlier are never overwritten.
 */
export function randomBytesPooled(n: number): Buffer {
  if (n > POOL_BYTES) return randomBytes(n);
  if (offset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}
