import { createHmac, hkdfSync, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { newId } from '../ids.ts';
import { aesOpen, aesSeal } from './aes.ts';
import type { KeyStore, MasterMeta, StoredKey } from './keystore.ts';

export const DEFAULT_LOG_N = 15;
const VERIFIER_LABEL = 'zhixin master key verifier v1';
/** A custodian password shorter than this is refused when it is changed. */
export const MIN_CUSTODIAN_PASSWORD_LENGTH = 12;

/** The key-encryption key: what a running node holds (never the passwords, never the master key). */
export interface Kek {
  id: string;
  key: Buffer;
}

function deriveMaster(
  password1: string,
  password2: string,
  meta: Pick<MasterMeta, 'salt1' | 'salt2' | 'logN'>,
) {
  const params = { N: 1 << meta.logN, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
  const k1 = scryptSync(password1, Buffer.from(meta.salt1, 'base64url'), 32, params);
  const k2 = scryptSync(password2, Buffer.from(meta.salt2, 'base64url'), 32, params);
  // Both halves feed one HKDF: either password alone leaves the master key unknown.
  return Buffer.from(hkdfSync('sha256', Buffer.concat([k1, k2]), Buffer.alloc(0), 'zhixin master v1', 32));
}

function verifierOf(master: Buffer): string {
  return createHmac('sha256', master).update(VERIFIER_LABEL).digest('base64url');
}

const newSalt = () => randomBytes(16).toString('base64url');
const wrapKek = (master: Buffer, kek: Kek) => aesSeal(master, kek.key, `kek:${kek.id}`);
export const wrapKey = (kek: Kek, id: string, key: Buffer) => aesSeal(kek.key, key, `key:${id}`);

/** Unwrap a stored key with the KEK that wraps it (or, before the KEK existed, the master key). */
export function unwrapKey(k: StoredKey, kek: Kek, master?: Buffer): Buffer {
  if (k.kekId === kek.id) return aesOpen(kek.key, k.wrapped, `key:${k.id}`);
  if (k.kekId === null && master) return aesOpen(master, k.wrapped, `key:${k.id}`);
  throw new AppError(
    'SEALED',
    { keyId: k.id },
    'A key is wrapped by a key-encryption key this node does not hold: unseal it again',
  );
}

interface Opened {
  master: Buffer;
  meta: MasterMeta;
}

/** Derive and check the master key; a fresh installation gets its salts and verifier here. */
async function openMaster(
  store: KeyStore,
  password1: string,
  password2: string,
  logN: number,
): Promise<Opened> {
  if (!password1 || !password2)
    throw new AppError('SEALED', undefined, 'Both custodian passwords are required');
  let meta = await store.loadMeta();
  if (!meta) {
    const salts = { salt1: newSalt(), salt2: newSalt(), logN };
    const verifier = verifierOf(deriveMaster(password1, password2, salts));
    meta = await store.initMeta({ ...salts, verifier, kekId: null, kekWrapped: null });
  }
  const master = deriveMaster(password1, password2, meta);
  if (!timingSafeEqual(Buffer.from(verifierOf(master)), Buffer.from(meta.verifier))) {
    throw new AppError('SEALED', undefined, 'The custodian passwords do not match this installation');
  }
  return { master, meta };
}

/**
 * The KEK under the master key. An installation from before the KEK gets one here: every key wrapped by
 * the master is re-wrapped under the new KEK in the same transaction. Two nodes racing: one commit wins,
 * the other reads the winner's KEK.
 */
async function kekOf(store: KeyStore, opened: Opened): Promise<{ kek: Kek; meta: MasterMeta }> {
  const { master } = opened;
  for (let attempt = 0; attempt < 3; attempt++) {
    const meta = attempt === 0 ? opened.meta : ((await store.loadMeta()) as MasterMeta);
    if (meta.kekId && meta.kekWrapped) {
      return { kek: { id: meta.kekId, key: aesOpen(master, meta.kekWrapped, `kek:${meta.kekId}`) }, meta };
    }
    const kek = { id: newId(), key: randomBytes(32) };
    const rewrapped = (await store.loadKeys()).map((k) => ({
      id: k.id,
      wrapped: wrapKey(kek, k.id, unwrapKey(k, kek, master)),
      kekId: kek.id,
      retiredAt: k.retiredAt,
    }));
    const next = { ...meta, kekId: kek.id, kekWrapped: wrapKek(master, kek) };
    const change = { expected: { verifier: meta.verifier, kekId: null }, meta: next, rewrapped, added: [] };
    if (await store.commit(change)) return { kek, meta: next };
  }
  throw new AppError('CONFLICT', undefined, 'The key store keeps changing; try again');
}

/** Custodian passwords → master key → KEK. The master key is wiped before this returns. */
export async function unlockKek(
  store: KeyStore,
  password1: string,
  password2: string,
  logN = DEFAULT_LOG_N,
): Promise<Kek> {
  const opened = await openMaster(store, password1, password2, logN);
  try {
    return (await kekOf(store, opened)).kek;
  } finally {
    opened.master.fill(0);
  }
}

/**
 * `zhixin keys rotate`: a new data key becomes current for new writes (older data keys are retired but
 * kept, to read older rows). With `newKek` every key is also re-wrapped under a fresh KEK, which the
 * nodes running on the old one cannot read: the CLI does that only when no node holds a lease.
 */
export async function rotateKeys(
  store: KeyStore,
  password1: string,
  password2: string,
  opts: { newKek: boolean },
): Promise<{ kekId: string; dataKeyId: string }> {
  const opened = await openMaster(store, password1, password2, DEFAULT_LOG_N);
  try {
    const { kek, meta } = await kekOf(store, opened);
    const now = Date.now();
    const target = opts.newKek ? { id: newId(), key: randomBytes(32) } : kek;
    const dataKeyId = newId();
    const rewrapped = (await store.loadKeys()).map((k) => ({
      id: k.id,
      wrapped: opts.newKek ? wrapKey(target, k.id, unwrapKey(k, kek)) : k.wrapped,
      kekId: target.id,
      retiredAt: k.purpose === 'data' && k.retiredAt === null ? now : k.retiredAt,
    }));
    const added: StoredKey[] = [
      {
        id: dataKeyId,
        purpose: 'data',
        wrapped: wrapKey(target, dataKeyId, randomBytes(32)),
        kekId: target.id,
        createdAt: now,
        retiredAt: null,
      },
    ];
    const next = opts.newKek
      ? { ...meta, kekId: target.id, kekWrapped: wrapKek(opened.master, target) }
      : meta;
    const expected = { verifier: meta.verifier, kekId: meta.kekId };
    if (!(await store.commit({ expected, meta: next, rewrapped, added })))
      throw new AppError('CONFLICT', undefined, 'The keys changed during the rotation; run it again');
    return { kekId: target.id, dataKeyId };
  } finally {
    opened.master.fill(0);
  }
}

/** Length ≥ 12 and different from the other custodian's password. */
export function checkCustodianPassword(password: string, otherCustodians: string): void {
  if (password.length < MIN_CUSTODIAN_PASSWORD_LENGTH)
    throw AppError.validation({ reason: `at least ${MIN_CUSTODIAN_PASSWORD_LENGTH} characters` });
  if (password === otherCustodians)
    throw AppError.validation({ reason: "must differ from the other custodian's password" });
}

/**
 * `zhixin keys change-password`: both current passwords prove the master key; the custodian's half gets
 * a new salt and password, and only the KEK is re-wrapped (data keys and running nodes are untouched).
 */
export async function changeCustodianPassword(
  store: KeyStore,
  custodian: 1 | 2,
  current: { password1: string; password2: string },
  newPassword: string,
): Promise<void> {
  checkCustodianPassword(newPassword, custodian === 1 ? current.password2 : current.password1);
  const opened = await openMaster(store, current.password1, current.password2, DEFAULT_LOG_N);
  let master: Buffer | undefined;
  try {
    const { kek, meta } = await kekOf(store, opened);
    const salts =
      custodian === 1 ? { salt1: newSalt(), salt2: meta.salt2 } : { salt1: meta.salt1, salt2: newSalt() };
    const [p1, p2] = custodian === 1 ? [newPassword, current.password2] : [current.password1, newPassword];
    master = deriveMaster(p1, p2, { ...salts, logN: meta.logN });
    const next = { ...meta, ...salts, verifier: verifierOf(master), kekWrapped: wrapKek(master, kek) };
    const change = {
      expected: { verifier: meta.verifier, kekId: meta.kekId },
      meta: next,
      rewrapped: [],
      added: [],
    };
    if (!(await store.commit(change)))
      throw new AppError('CONFLICT', undefined, 'The keys changed meanwhile; run the command again');
  } finally {
    opened.master.fill(0);
    master?.fill(0);
  }
}
