import { createCipheriv, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring } from './keyring.ts';
import { MemoryKeyStore } from './keystore.memory.ts';
import { changeCustodianPassword, rotateKeys, unlockKek } from './master.ts';

const LOG_N = 10;
const P1 = 'custodian-one';
const P2 = 'custodian-two';

/**
 * An installation as the keyring wrote it before the KEK existed: the data/index/jwt keys wrapped
 * directly by the master key. Written here byte for byte, so the upgrade path is tested against the
 * old format rather than against itself.
 */
function legacyStore(password1: string, password2: string): { store: MemoryKeyStore; dataKey: Buffer } {
  const salt1 = randomBytes(16);
  const salt2 = randomBytes(16);
  const params = { N: 1 << LOG_N, r: 8, p: 1 };
  const k1 = scryptSync(password1, salt1, 32, params);
  const k2 = scryptSync(password2, salt2, 32, params);
  const master = Buffer.from(
    hkdfSync('sha256', Buffer.concat([k1, k2]), Buffer.alloc(0), 'zhixin master v1', 32),
  );
  const wrap = (key: Buffer, aad: string) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv).setAAD(Buffer.from(aad));
    const ct = Buffer.concat([c.update(key), c.final(), c.getAuthTag()]);
    return `${iv.toString('base64url')}.${ct.toString('base64url')}`;
  };
  const store = new MemoryKeyStore();
  store.meta = {
    salt1: salt1.toString('base64url'),
    salt2: salt2.toString('base64url'),
    logN: LOG_N,
    verifier: createHmac('sha256', master).update('zhixin master key verifier v1').digest('base64url'),
    kekId: null,
    kekWrapped: null,
  };
  const dataKey = randomBytes(32);
  const keys = { '01DATA': dataKey, '01INDEX': randomBytes(32), '01JWT': randomBytes(32) };
  for (const [id, key] of Object.entries(keys)) {
    const purpose = id === '01DATA' ? 'data' : id === '01INDEX' ? 'index' : 'jwt';
    store.keys.push({
      id,
      purpose,
      wrapped: wrap(key, `key:${id}`),
      kekId: null,
      createdAt: 1,
      retiredAt: null,
    });
  }
  return { store, dataKey };
}

/** A field sealed by the old keyring with `key` under id `01DATA`. */
function legacySeal(key: Buffer, plain: string, context: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context));
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final(), c.getAuthTag()]);
  return `01DATA.${iv.toString('base64url')}.${ct.toString('base64url')}`;
}

describe('Keyring', () => {
  it('encrypts fields so that only the same keyring reads them back', async () => {
    const store = new MemoryKeyStore();
    const ring = await Keyring.unseal(store, P1, P2, LOG_N);
    const sealed = ring.seal('+8613812345678', 'users.phone');
    expect(sealed).not.toContain('13812345678');
    expect(ring.open(sealed, 'users.phone')).toBe('+8613812345678');
    const again = await Keyring.unseal(store, P1, P2, LOG_N);
    expect(again.open(sealed, 'users.phone')).toBe('+8613812345678');
  });

  it('refuses ciphertext moved to another column', async () => {
    const ring = await Keyring.unseal(new MemoryKeyStore(), 'a-password', 'b-password', LOG_N);
    const sealed = ring.seal('secret', 'messages.content');
    expect(() => ring.open(sealed, 'users.phone')).toThrow();
  });

  it('stays sealed when either custodian password is wrong or missing', async () => {
    const store = new MemoryKeyStore();
    await Keyring.unseal(store, P1, P2, LOG_N);
    await expect(Keyring.unseal(store, P1, 'wrong', LOG_N)).rejects.toMatchObject({ code: 'SEALED' });
    await expect(Keyring.unseal(store, 'wrong', P2, LOG_N)).rejects.toMatchObject({ code: 'SEALED' });
    await expect(Keyring.unseal(store, P1, '', LOG_N)).rejects.toMatchObject({ code: 'SEALED' });
  });

  it('gives deterministic blind indexes per domain', async () => {
    const ring = await Keyring.unseal(new MemoryKeyStore(), 'p1-password', 'p2-password', LOG_N);
    expect(ring.blindIndex('phone', '+8613812345678')).toBe(ring.blindIndex('phone', '+8613812345678'));
    expect(ring.blindIndex('phone', '+8613812345678')).not.toBe(ring.blindIndex('email', '+8613812345678'));
    expect(ring.blindIndex('phone', '+8613812345678')).not.toContain('138');
  });
});

describe('key hierarchy', () => {
  it('wraps every key under one KEK, itself wrapped by the master key', async () => {
    const store = new MemoryKeyStore();
    const ring = await Keyring.unseal(store, P1, P2, LOG_N);
    expect(store.meta?.kekId).toBe(ring.kekId);
    expect(store.meta?.kekWrapped).toBeTruthy();
    expect(store.keys.map((k) => k.purpose).sort()).toEqual(['data', 'index', 'jwt']);
    expect(store.keys.every((k) => k.kekId === ring.kekId)).toBe(true);
    // A worker given only the KEK reads what the passwords' keyring wrote.
    const worker = await Keyring.fromKek(store, await unlockKek(store, P1, P2));
    expect(worker.open(ring.seal('hello', 'c'), 'c')).toBe('hello');
  });

  it('moves an installation from before the KEK under a new KEK on unseal, keeping its data readable', async () => {
    const { store, dataKey } = legacyStore(P1, P2);
    const oldRow = legacySeal(dataKey, '老数据 old row', 'messages.content');
    const ring = await Keyring.unseal(store, P1, P2, LOG_N);
    expect(store.meta?.kekId).toBe(ring.kekId);
    expect(store.keys.every((k) => k.kekId === ring.kekId)).toBe(true);
    expect(store.keys).toHaveLength(3);
    expect(ring.open(oldRow, 'messages.content')).toBe('老数据 old row');
    const again = await Keyring.unseal(store, P1, P2, LOG_N);
    expect(again.kekId).toBe(ring.kekId);
    expect(again.open(oldRow, 'messages.content')).toBe('老数据 old row');
  });

  it('rotation makes a new data key current, keeps old rows readable and replaces the KEK', async () => {
    const store = new MemoryKeyStore();
    const before = await Keyring.unseal(store, P1, P2, LOG_N);
    const oldRow = before.seal('before rotation', 'c');
    const oldIndex = before.blindIndex('phone', '+86138');
    const { kekId, dataKeyId } = await rotateKeys(store, P1, P2, { newKek: true });
    expect(kekId).not.toBe(before.kekId);
    const after = await Keyring.unseal(store, P1, P2, LOG_N);
    const newRow = after.seal('after rotation', 'c');
    expect(newRow.startsWith(`${dataKeyId}.`)).toBe(true);
    expect(after.open(oldRow, 'c')).toBe('before rotation');
    expect(after.blindIndex('phone', '+86138')).toBe(oldIndex);
    const data = store.keys.filter((k) => k.purpose === 'data');
    expect(data.filter((k) => k.retiredAt === null).map((k) => k.id)).toEqual([dataKeyId]);
    // A node still holding the old KEK cannot read keys wrapped by the new one (why the CLI refuses).
    await expect(before.reload()).rejects.toMatchObject({ code: 'SEALED' });
  });

  it('a running keyring learns of a data key added under its KEK when it meets the new id', async () => {
    const store = new MemoryKeyStore();
    const running = await Keyring.unseal(store, P1, P2, LOG_N);
    await rotateKeys(store, P1, P2, { newKek: false });
    const restarted = await Keyring.unseal(store, P1, P2, LOG_N);
    const newRow = restarted.seal('written by a restarted node', 'c');
    expect(() => running.open(newRow, 'c')).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
    await running.reload();
    expect(running.open(newRow, 'c')).toBe('written by a restarted node');
    expect(running.seal('x', 'c').split('.')[0]).toBe(newRow.split('.')[0]);
  });

  it('a custodian changes their password only with both current ones; only the KEK is re-wrapped', async () => {
    const store = new MemoryKeyStore();
    const running = await Keyring.unseal(store, P1, P2, LOG_N);
    const row = running.seal('kept', 'c');
    const keysBefore = JSON.stringify(store.keys);
    const next = 'a new password for one';
    await expect(
      changeCustodianPassword(store, 1, { password1: P1, password2: 'not-the-other' }, next),
    ).rejects.toMatchObject({ code: 'SEALED' });
    await expect(
      changeCustodianPassword(store, 1, { password1: P1, password2: P2 }, 'short'),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      changeCustodianPassword(store, 2, { password1: P1, password2: P2 }, P1),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await changeCustodianPassword(store, 1, { password1: P1, password2: P2 }, next);
    expect(JSON.stringify(store.keys)).toBe(keysBefore);
    await expect(Keyring.unseal(store, P1, P2, LOG_N)).rejects.toMatchObject({ code: 'SEALED' });
    const reopened = await Keyring.unseal(store, next, P2, LOG_N);
    expect(reopened.kekId).toBe(running.kekId);
    expect(reopened.open(row, 'c')).toBe('kept');
    await running.reload();
    expect(running.open(reopened.seal('still', 'c'), 'c')).toBe('still');
  });
});

describe('security.encryptAtRest', () => {
  it('off: stores plain values under the reserved id, and both kinds of row stay readable', async () => {
    const store = new MemoryKeyStore();
    const on = await Keyring.unseal(store, P1, P2, LOG_N);
    const off = await Keyring.unseal(store, P1, P2, LOG_N, { encryptAtRest: false });
    const plainRow = off.seal('明文 plain', 'c');
    expect(plainRow.startsWith('plain.')).toBe(true);
    expect(Buffer.from(plainRow.slice('plain.'.length), 'base64url').toString('utf8')).toBe('明文 plain');
    const sealedRow = on.seal('密文 sealed', 'c');
    expect(sealedRow.startsWith('plain.')).toBe(false);
    // Switch on → off and off → on: each reads the other's rows.
    expect(on.open(plainRow, 'c')).toBe('明文 plain');
    expect(off.open(sealedRow, 'c')).toBe('密文 sealed');
  });
});
