import { createHmac, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { newId } from '../ids.ts';
import { aesOpen, aesSeal } from './aes.ts';
import type { KeyPurpose, KeyStore } from './keystore.ts';
import { DEFAULT_LOG_N, unlockKek, unwrapKey, wrapKey, type Kek } from './master.ts';

export type { KeyPurpose, KeyStore, MasterMeta, StoredKey } from './keystore.ts';
export type { Kek } from './master.ts';

/**
 * The reserved key id of values stored in plain text (`security.encryptAtRest=false`, benchmarks only):
 * `plain.<base64url of the UTF-8>`. Generated ids are upper-case, so none can collide with it.
 */
const PLAIN_ID = 'plain';
/** A value naming an unknown key makes the keyring re-read its keys at most this often. */
const RELOAD_ON_MISS_MS = 5_000;

export interface KeyringOptions {
  /** false: `seal` stores plain text (see PLAIN_ID); `open` reads both forms either way. */
  encryptAtRest?: boolean;
}

interface LoadedKeys {
  keys: Map<string, { purpose: KeyPurpose; key: Buffer }>;
  current: Record<KeyPurpose, string>;
}

/**
 * The unsealed keyring: AES-256-GCM field encryption with rotating data keys (ids travel in the
 * ciphertext), HMAC blind indexes for lookups on encrypted fields, and the JWT signing key. It holds
 * the KEK (custodian passwords → master key → KEK → these keys) so it can re-read keys added later.
 */
export class Keyring {
  private loaded: LoadedKeys = { keys: new Map(), current: {} as Record<KeyPurpose, string> };
  private reloading: Promise<void> | undefined;
  private lastMissReload = 0;

  private constructor(
    private readonly store: KeyStore,
    private readonly kek: Kek,
    private readonly encryptAtRest: boolean,
  ) {}

  /** Derive the master key from both custodian passwords, check it, and unwrap (or create) the keys. */
  static async unseal(
    store: KeyStore,
    password1: string,
    password2: string,
    logN = DEFAULT_LOG_N,
    opts: KeyringOptions = {},
  ): Promise<Keyring> {
    const kek = await unlockKek(store, password1, password2, logN);
    try {
      return await Keyring.fromKek(store, kek, opts);
    } catch (err) {
      // `zhixin keys rotate` committed a new KEK between our reading the KEK and the keys: read again.
      if (!(err instanceof AppError) || err.code !== 'SEALED') throw err;
      return Keyring.fromKek(store, await unlockKek(store, password1, password2, logN), opts);
    }
  }

  /** A keyring from a KEK already unlocked (a cluster worker gets it from its primary). */
  static async fromKek(store: KeyStore, kek: Kek, opts: KeyringOptions = {}): Promise<Keyring> {
    const ring = new Keyring(store, { id: kek.id, key: Buffer.from(kek.key) }, opts.encryptAtRest ?? true);
    const stored = await store.loadKeys();
    for (const purpose of ['data', 'index', 'jwt'] as const) {
      if (stored.some((k) => k.purpose === purpose && k.retiredAt === null)) continue;
      const id = newId();
      const wrapped = wrapKey(ring.kek, id, randomBytes(32));
      await store.addKey({ id, purpose, wrapped, kekId: kek.id, createdAt: Date.now(), retiredAt: null });
    }
    await ring.reload();
    return ring;
  }

  /** The id of the KEK this keyring holds (nodes' leases name it). */
  get kekId(): string {
    return this.kek.id;
  }

  /** Re-read the keys (a rotation added a data key); the newest live data key becomes current. */
  reload(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const stored = await this.store.loadKeys();
        const next: LoadedKeys = { keys: new Map(), current: {} as Record<KeyPurpose, string> };
        // Oldest first, so the newest live key of each purpose ends up current. Two nodes racing on a fresh
        // database may both add a key: the lowest id (the oldest) wins everywhere for index and jwt keys.
        for (const k of [...stored].sort((a, b) => a.id.localeCompare(b.id))) {
          next.keys.set(k.id, { purpose: k.purpose, key: unwrapKey(k, this.kek) });
          if (k.retiredAt !== null) continue;
          if (k.purpose === 'data' || !next.current[k.purpose]) next.current[k.purpose] = k.id;
        }
        this.loaded = next;
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private key(purpose: KeyPurpose): Buffer {
    return this.loaded.keys.get(this.loaded.current[purpose])!.key;
  }

  /** Encrypt a field value; `context` (e.g. the column name) binds the ciphertext to its place. */
  seal(plain: string, context: string): string {
    if (!this.encryptAtRest) return `${PLAIN_ID}.${Buffer.from(plain, 'utf8').toString('base64url')}`;
    const id = this.loaded.current.data;
    return `${id}.${aesSeal(this.key('data'), Buffer.from(plain, 'utf8'), context)}`;
  }

  open(sealed: string, context: string): string {
    const dot = sealed.indexOf('.');
    if (dot < 1) throw new Error('malformed sealed value');
    const id = sealed.slice(0, dot);
    if (id === PLAIN_ID) return Buffer.from(sealed.slice(dot + 1), 'base64url').toString('utf8');
    const entry = this.loaded.keys.get(id);
    if (!entry) {
      // Another node may have written with a data key added after this one loaded its keys: re-read
      // them (open stays synchronous for its many callers; the retry finds the key).
      if (Date.now() - this.lastMissReload >= RELOAD_ON_MISS_MS) {
        this.lastMissReload = Date.now();
        this.reload().catch(() => {});
      }
      throw new AppError('UNAVAILABLE', { retry: true }, 'A data key is being loaded; retry shortly');
    }
    if (entry.purpose !== 'data') throw new Error('not a data key');
    return aesOpen(entry.key, sealed.slice(dot + 1), context).toString('utf8');
  }

  /** Deterministic keyed hash for equality lookups on an encrypted field. */
  blindIndex(domain: string, value: string): string {
    return createHmac('sha256', this.key('index')).update(`${domain}\0${value}`).digest('base64url');
  }

  /** The HS256 key for access tokens, the same on every node. */
  jwtKey(): Uint8Array {
    return new Uint8Array(this.key('jwt'));
  }
}
