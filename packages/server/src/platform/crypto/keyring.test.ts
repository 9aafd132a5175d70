import { describe, expect, it } from 'vitest';
import { Keyring, type KeyStore } from './keyring.ts';
import type { MasterMeta, StoredKey } from './keyring.ts';

class MemoryKeyStore implements KeyStore {
  meta: MasterMeta | null = null;
  keys: StoredKey[] = [];
  async loadMeta() {
    return this.meta;
  }
  async initMeta(meta: MasterMeta) {
    this.meta ??= meta;
    return this.meta;
  }
  async loadKeys() {
    return [...this.keys];
  }
  async addKey(key: StoredKey) {
    this.keys.push(key);
  }
}

describe('Keyring', () => {
  it('encrypts fields so that only the same keyring reads them back', async () => {
    const store = new MemoryKeyStore();
    const ring = await Keyring.unseal(store, 'custodian-one', 'custodian-two', 10);
    const sealed = ring.seal('+8613812345678', 'users.phone');
    expect(sealed).not.toContain('13812345678');
    expect(ring.open(sealed, 'users.phone')).toBe('+8613812345678');
    const again = await Keyring.unseal(store, 'custodian-one', 'custodian-two', 10);
    expect(again.open(sealed, 'users.phone')).toBe('+8613812345678');
  });

  it('refuses ciphertext moved to another column', async () => {
    const ring = await Keyring.unseal(new MemoryKeyStore(), 'a-password', 'b-password', 10);
    const sealed = ring.seal('secret', 'messages.content');
    expect(() => ring.open(sealed, 'users.phone')).toThrow();
  });

  it('stays sealed when either custodian password is wrong or missing', async () => {
    const store = new MemoryKeyStore();
    await Keyring.unseal(store, 'custodian-one', 'custodian-two', 10);
    await expect(Keyring.unseal(store, 'custodian-one', 'wrong', 10)).rejects.toMatchObject({
      code: 'SEALED',
    });
    await expect(Keyring.unseal(store, 'wrong', 'custodian-two', 10)).rejects.toMatchObject({
      code: 'SEALED',
    });
    await expect(Keyring.unseal(store, 'custodian-one', '', 10)).rejects.toMatchObject({ code: 'SEALED' });
  });

  it('gives deterministic blind indexes per domain', async () => {
    const ring = await Keyring.unseal(new MemoryKeyStore(), 'p1-password', 'p2-password', 10);
    expect(ring.blindIndex('phone', '+8613812345678')).toBe(ring.blindIndex('phone', '+8613812345678'));
    expect(ring.blindIndex('phone', '+8613812345678')).not.toBe(ring.blindIndex('email', '+8613812345678'));
    expect(ring.blindIndex('phone', '+8613812345678')).not.toContain('138');
  });
});
