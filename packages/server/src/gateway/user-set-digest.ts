/**
 * An order-independent digest of a set of user ids, kept up to date one user at a time: the sum of
 * a 52-bit hash of each id, modulo 2^52. Adding a user and removing it again gives the old digest
 * back, so two nodes whose lists of one node's users hold the same ids hold the same digest,
 * whatever order the changes came in.
 *
 * Nodes compare digests instead of whole lists: a heartbeat carries its node's digest, and a node
 * that rejoins after a broker outage says which digest it holds of each node, so only nodes whose
 * lists it really lost send them again (at 600,000 users on 32 workers a list is ~0.5 MB each).
 * Two different sets of the same size share a digest with a chance of about 2^-52.
 */

const MODULUS = 2 ** 52;
const LOW_BITS = 2 ** 20;

/** A 52-bit hash of one id: two independent 32-bit mixes over its UTF-16 units, 32 + 20 bits. */
export function userHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (finalMix(a) >>> 0) * LOW_BITS + (finalMix(b) >>> 12);
}

/** Spreads every input bit over the whole word (MurmurHash3's finalizer). */
function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The digest of a set with `id` added (`id` was not in it). */
export function digestWith(digest: number, id: string): number {
  return (digest + userHash(id)) % MODULUS;
}

/** The digest of a set with `id` taken out (`id` was in it). */
export function digestWithout(digest: number, id: string): number {
  return (digest - userHash(id) + MODULUS) % MODULUS;
}

/** The digest of a whole set (what a node with no history computes). */
export function digestOf(ids: Iterable<string>): number {
  let digest = 0;
  for (const id of ids) digest = digestWith(digest, id);
  return digest;
}

/** Whether a value could be a digest: what a message from another node must carry. */
export function isDigest(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < MODULUS;
}
