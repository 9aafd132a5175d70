import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { AppError } from '../../errors.ts';
import { randomBytesPooled } from '../random.ts';
import { newId } from '../ids.ts';

/** Key material, each wrapped by the master key and stored so every node of a cluster shares it. */
export type KeyPurpose = 'data' | 'index' | 'jwt';

export interface StoredKey {
  id: string;
  purpose: KeyPurpose;
  wrapped: string;
  createdAt: number;
  retiredAt: number | null;
}

export interface MasterMeta {
  salt1: string;
  salt2: string;
  /** log2 of the scrypt cost the installation was created with. */
  logN: number;
  verifier: string;
}

/** Where the keyring keeps its wrapped keys (the crypto repo). */
export interface KeyStore {
  loadMeta(): Promise<MasterMeta | null>;
  /** Insert unless present; returns what is stored afterwards (another node may have won). */
  initMeta(meta: MasterMeta): Promise<MasterMeta>;
  loadKeys(): Promise<StoredKey[]>;
  addKey(key: StoredKey): Promise<void>;
}

const DEFAULT_LOG_N = 15;
const VERIFIER_LABEL = 'zhixin master key verifier v1';

function deriveMaster(
  password1: string,
  password2: string,
  meta: Pick<MasterMeta, 'salt1' | 'salt2' | 'logN'>,
): Buffer {
  const params = { N: 1 << meta.logN, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
  const k1 = scryptSync(password1, Buffer.from(meta.salt1, 'base64url'), 32, params);
  const k2 = scryptSync(password2, Buffer.from(meta.salt2, 'base64url'), 32, params);
  // Both halves feed one HKDF: either password alone leaves the master key unknown.
  return Buffer.from(hkdfSync('sha256', Buffer.concat([k1, k2]), Buffer.alloc(0), 'zhixin master v1', 32));
}

function verifierOf(master: Buffer): string {
  return createHmac('sha256', master).update(VERIFIER_LABEL).digest('base64url');
}

function aesSeal(key: Buffer, plain: Buffer, aad: string): string {
  const iv = randomBytesPooled(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${iv.toString('base64url')}.${ct.toString('base64url')}`;
}

function aesOpen(key: Buffer, sealed: string, aad: string): Buffer {
  const [ivPart, ctPart] = sealed.split('.');
  if (!ivPart || !ctPart) throw new Error('malformed ciphertext');
  const iv = Buffer.from(ivPart, 'base64url');
  const data = Buffer.from(ctPart, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}

/**
 * The unsealed keyring: AES-256-GCM field encryption with rotating data keys (ids travel in the
 * ciphertext), HMAC blind indexes for lookups on encrypted fields, and the JWT signing key.
 */
export class Keyring {
  private constructor(
    private readonly keys: Map<string, { purpose: KeyPurpose; key: Buffer }>,
    private readonly current: Record<KeyPurpose, string>,
  ) {}

  /** Derive the master key from both custodian passwords, check it, and unwrap (or create) the keys. */
  static async unseal(
    store: KeyStore,
    password1: string,
    password2: string,
    logN = DEFAULT_LOG_N,
  ): Promise<Keyring> {
    if (!password1 || !password2)
      throw new AppError('SEALED', undefined, 'Both custodian passwords are required');
    let meta = await store.loadMeta();
    if (!meta) {
      const salts = {
        salt1: randomBytes(16).toString('base64url'),
        salt2: randomBytes(16).toString('base64url'),
        logN,
      };
      meta = await store.initMeta({
        ...salts,
        verifier: verifierOf(deriveMaster(password1, password2, salts)),
      });
    }
    const master = deriveMaster(password1, password2, meta);
    if (!timingSafeEqual(Buffer.from(verifierOf(master)), Buffer.from(meta.verifier))) {
      throw new AppError('SEALED', undefined, 'The custodian passwords do not match this installation');
    }
    let stored = await store.loadKeys();
    for (const purpose of ['data', 'index', 'jwt'] as const) {
      if (!stored.some((k) => k.purpose === purpose)) {
        const id = newId();
        await store.addKey({
          id,
          purpose,
          wrapped: aesSeal(master, randomBytes(32), `key:${id}`),
          createdAt: Date.now(),
          retiredAt: null,
        });
      }
    }
    stored = await store.loadKeys();
    const keys = new Map<string, { purpose: KeyPurpose; key: Buffer }>();
    const current = {} as Record<KeyPurpose, string>;
    // Oldest first, so the newest live key of each purpose ends up current. Two nodes racing on a fresh
    // database may both add a key: the lowest id (the oldest) wins everywhere for index and jwt keys.
    for (const k of [...stored].sort((a, b) => a.id.localeCompare(b.id))) {
      keys.set(k.id, { purpose: k.purpose, key: aesOpen(master, k.wrapped, `key:${k.id}`) });
      if (k.retiredAt !== null) continue;
      if (k.purpose === 'data' || !current[k.purpose]) current[k.purpose] = k.id;
    }
    return new Keyring(keys, current);
  }

  private key(purpose: KeyPurpose): Buffer {
    return this.keys.get(this.current[purpose])!.key;
  }

  /** Encrypt a field value; `context` (e.g. the column name) binds the ciphertext to its place. */
  seal(plain: string, context: string): string {
    const id = this.current.data;
    return `${id}.${aesSeal(this.key('data'), Buffer.from(plain, 'utf8'), context)}`;
  }

  open(sealed: string, context: string): string {
    const dot = sealed.indexOf('.');
    const entry = this.keys.get(sealed.slice(0, dot));
    if (!entry || entry.purpose !== 'data') throw new Error('unknown data key');
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
