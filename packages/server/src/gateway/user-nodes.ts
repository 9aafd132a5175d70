/**
 * userId → the nodes where that user is connected, as bits of small node indices, for the presence
 * directory that every node (every worker of `--workers N`) keeps of the whole cluster.
 *
 * A `Map<string, Set<string>>` costs ~97 bytes per user in each worker (the id string, the map
 * entry, the shared node set), so 600,000 users on 32 workers took ~1.8 GiB, and every full
 * collection of each worker walked its 600,000 strings. Here a ULID (every id `newId` makes) is
 * packed into four 32-bit words and stored with its node bits in typed arrays of an open-addressing
 * table (linear probing, deletion by backward shift): ~24–40 bytes per user depending on how full
 * the table is, nothing for the collector to trace, and a user on several nodes (one device per
 * worker) costs no more than a user on one. Ids of any other shape go to an ordinary map.
 */

import { ULID_ALPHABET as ALPHABET } from '../platform/ids.ts';

const CHAR_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) CHAR_VALUE[ALPHABET.charCodeAt(i)] = i;

const KEY_WORDS = 4;
const MIN_CAPACITY = 1024;
const MAX_LOAD = 0.75;

/**
 * Pack a ULID into `out` (four words): characters 2–25 as four groups of six (30 bits each), the
 * first two characters (8 bits: the first is at most 7) in the groups' top two bits. False for any
 * other string.
 */
export function packUlid(id: string, out: Uint32Array): boolean {
  if (id.length !== 26) return false;
  const c0 = id.charCodeAt(0);
  const c1 = id.charCodeAt(1);
  const h0 = c0 < 128 ? (CHAR_VALUE[c0] ?? -1) : -1;
  const h1 = c1 < 128 ? (CHAR_VALUE[c1] ?? -1) : -1;
  if (h0 < 0 || h0 > 7 || h1 < 0) return false;
  const head = (h0 << 5) | h1;
  for (let w = 0; w < KEY_WORDS; w++) {
    let group = 0;
    for (let i = 2 + 6 * w, end = i + 6; i < end; i++) {
      const code = id.charCodeAt(i);
      const v = code < 128 ? (CHAR_VALUE[code] ?? -1) : -1;
      if (v < 0) return false;
      group = group * 32 + v;
    }
    out[w] = (((head >>> (6 - 2 * w)) & 3) * 0x40000000 + group) >>> 0;
  }
  return true;
}

/** The ULID that `packUlid` packed into `words[at..at+3]`. */
export function unpackUlid(words: Uint32Array, at = 0): string {
  let head = 0;
  let tail = '';
  for (let w = 0; w < KEY_WORDS; w++) {
    const word = words[at + w] ?? 0;
    head = (head << 2) | (word >>> 30);
    const group = word & 0x3fffffff;
    for (let shift = 25; shift >= 0; shift -= 5) tail += ALPHABET[(group >>> shift) & 31];
  }
  return (ALPHABET[head >>> 5] ?? '') + (ALPHABET[head & 31] ?? '') + tail;
}

function hashOf(k: Uint32Array): number {
  let h = Math.imul(k[0] ?? 0, 0x9e3779b1) ^ Math.imul(k[1] ?? 0, 0x85ebca77);
  h ^= Math.imul(k[2] ?? 0, 0xc2b2ae3d) ^ Math.imul(k[3] ?? 0, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** What `add` found. */
export type Added = 'new' | 'more' | 'had';
/** What `remove` found. */
export type Removed = 'gone' | 'less' | 'absent';

export class UserNodeTable {
  private capacity: number;
  private keys: Uint32Array;
  /** `bitWords` words per slot; bit i of a slot: the user is on node index i. */
  private bits: Uint32Array;
  private bitWords = 1;
  private occupied: Uint8Array;
  private count = 0;
  /** Ids that are not ULIDs: their node indices. */
  private readonly others = new Map<string, Set<number>>();
  private readonly key = new Uint32Array(KEY_WORDS);

  /** `capacity`: the first table's slots, a power of two (small ones make tests wrap and resize). */
  constructor(capacity = MIN_CAPACITY) {
    if (capacity < 2 || (capacity & (capacity - 1)) !== 0) throw new Error('capacity must be a power of two');
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * KEY_WORDS);
    this.bits = new Uint32Array(capacity);
    this.occupied = new Uint8Array(capacity);
  }

  /** Users on at least one node. */
  get size(): number {
    return this.count + this.others.size;
  }

  has(userId: string): boolean {
    if (!packUlid(userId, this.key)) return this.others.has(userId);
    return this.find() >= 0;
  }

  /** Note the user on node `node`. */
  add(userId: string, node: number): Added {
    if (!packUlid(userId, this.key)) {
      const nodes = this.others.get(userId);
      if (!nodes) {
        this.others.set(userId, new Set([node]));
        return 'new';
      }
      if (nodes.has(node)) return 'had';
      nodes.add(node);
      return 'more';
    }
    this.fitNode(node);
    let slot = this.find();
    if (slot >= 0) {
      if (this.hasBit(slot, node)) return 'had';
      this.setBit(slot, node, true);
      return 'more';
    }
    if ((this.count + 1) / this.capacity > MAX_LOAD) {
      // Rehashing uses the scratch key: keep this one.
      const key = this.key.slice();
      this.resize(this.capacity * 2);
      this.key.set(key);
      slot = this.find();
    }
    const at = -slot - 1;
    this.keys.set(this.key, at * KEY_WORDS);
    this.occupied[at] = 1;
    this.setBit(at, node, true);
    this.count++;
    return 'new';
  }

  /** Note the user gone from node `node`. */
  remove(userId: string, node: number): Removed {
    if (!packUlid(userId, this.key)) {
      const nodes = this.others.get(userId);
      if (!nodes?.delete(node)) return 'absent';
      if (nodes.size > 0) return 'less';
      this.others.delete(userId);
      return 'gone';
    }
    const slot = this.find();
    if (slot < 0 || !this.hasBit(slot, node)) return 'absent';
    this.setBit(slot, node, false);
    if (!this.isEmpty(slot)) return 'less';
    this.deleteSlot(slot);
    return 'gone';
  }

  /** The user's node indices written into `out` (from 0); returns how many. */
  nodesOf(userId: string, out: number[]): number {
    if (!packUlid(userId, this.key)) {
      let n = 0;
      for (const node of this.others.get(userId) ?? []) out[n++] = node;
      return n;
    }
    const slot = this.find();
    if (slot < 0) return 0;
    let n = 0;
    for (let w = 0; w < this.bitWords; w++) {
      let word = this.bits[slot * this.bitWords + w] ?? 0;
      while (word !== 0) {
        const low = word & -word;
        out[n++] = w * 32 + 31 - Math.clz32(low);
        word = (word ^ low) >>> 0;
      }
    }
    return n;
  }

  /** Every user on node `node` (a scan of the whole table: for snapshots and drops, which are rare). */
  usersOn(node: number): string[] {
    const users: string[] = [];
    if (node < this.bitWords * 32) {
      for (let slot = 0; slot < this.capacity; slot++)
        if (this.occupied[slot] && this.hasBit(slot, node))
          users.push(unpackUlid(this.keys, slot * KEY_WORDS));
    }
    for (const [userId, nodes] of this.others) if (nodes.has(node)) users.push(userId);
    return users;
  }

  /** The slot holding `this.key`, or -(free slot + 1) where it would go. */
  private find(): number {
    const k = this.key;
    const mask = this.capacity - 1;
    const keys = this.keys;
    for (let slot = hashOf(k) & mask; ; slot = (slot + 1) & mask) {
      if (!this.occupied[slot]) return -slot - 1;
      const at = slot * KEY_WORDS;
      if (keys[at] === k[0] && keys[at + 1] === k[1] && keys[at + 2] === k[2] && keys[at + 3] === k[3])
        return slot;
    }
  }

  private hasBit(slot: number, node: number): boolean {
    const word = this.bits[slot * this.bitWords + (node >>> 5)] ?? 0;
    return (word & (1 << (node & 31))) !== 0;
  }

  private setBit(slot: number, node: number, on: boolean): void {
    const at = slot * this.bitWords + (node >>> 5);
    const bit = 1 << (node & 31);
    this.bits[at] = on ? (this.bits[at] ?? 0) | bit : (this.bits[at] ?? 0) & ~bit;
  }

  private isEmpty(slot: number): boolean {
    for (let w = 0; w < this.bitWords; w++) if (this.bits[slot * this.bitWords + w] !== 0) return false;
    return true;
  }

  /** Empty a slot and shift later entries of its probe run back (no tombstones). */
  private deleteSlot(slot: number): void {
    const mask = this.capacity - 1;
    let hole = slot;
    for (let next = (hole + 1) & mask; this.occupied[next]; next = (next + 1) & mask) {
      this.key.set(this.keys.subarray(next * KEY_WORDS, next * KEY_WORDS + KEY_WORDS));
      const home = hashOf(this.key) & mask;
      // Move the entry into the hole unless its home lies cyclically in (hole, next].
      const stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
      if (stays) continue;
      this.keys.copyWithin(hole * KEY_WORDS, next * KEY_WORDS, next * KEY_WORDS + KEY_WORDS);
      this.bits.copyWithin(hole * this.bitWords, next * this.bitWords, next * this.bitWords + this.bitWords);
      hole = next;
    }
    this.occupied[hole] = 0;
    this.bits.fill(0, hole * this.bitWords, hole * this.bitWords + this.bitWords);
    this.count--;
  }

  /** Widen every slot's bits when a node index does not fit yet. */
  private fitNode(node: number): void {
    const words = (node >>> 5) + 1;
    if (words <= this.bitWords) return;
    const bits = new Uint32Array(this.capacity * words);
    for (let slot = 0; slot < this.capacity; slot++)
      bits.set(this.bits.subarray(slot * this.bitWords, (slot + 1) * this.bitWords), slot * words);
    this.bits = bits;
    this.bitWords = words;
  }

  private resize(capacity: number): void {
    const { keys, bits, occupied, bitWords } = this;
    const old = this.capacity;
    this.capacity = capacity;
    this.keys = new Uint32Array(capacity * KEY_WORDS);
    this.bits = new Uint32Array(capacity * bitWords);
    this.occupied = new Uint8Array(capacity);
    for (let slot = 0; slot < old; slot++) {
      if (!occupied[slot]) continue;
      this.key.set(keys.subarray(slot * KEY_WORDS, slot * KEY_WORDS + KEY_WORDS));
      const at = -this.find() - 1;
      this.keys.set(this.key, at * KEY_WORDS);
      this.bits.set(bits.subarray(slot * bitWords, (slot + 1) * bitWords), at * bitWords);
      this.occupied[at] = 1;
    }
  }
}
