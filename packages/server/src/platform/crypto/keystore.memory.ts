import type { KeyChange, KeyStore, MasterMeta, StoredKey } from './keystore.ts';

/** An in-memory key store for unit tests (the real one is KeyStoreRepo). */
export class MemoryKeyStore implements KeyStore {
  meta: MasterMeta | null = null;
  keys: StoredKey[] = [];

  async loadMeta(): Promise<MasterMeta | null> {
    return this.meta && { ...this.meta };
  }
  async initMeta(meta: MasterMeta): Promise<MasterMeta> {
    this.meta ??= { ...meta };
    return { ...this.meta };
  }
  async loadKeys(): Promise<StoredKey[]> {
    return this.keys.map((k) => ({ ...k }));
  }
  async addKey(key: StoredKey): Promise<void> {
    this.keys.push({ ...key });
  }
  async commit(change: KeyChange): Promise<boolean> {
    if (!this.meta || this.meta.verifier !== change.expected.verifier) return false;
    if (this.meta.kekId !== change.expected.kekId) return false;
    this.meta = { ...change.meta };
    for (const r of change.rewrapped) {
      const k = this.keys.find((x) => x.id === r.id);
      if (k) Object.assign(k, r);
    }
    this.keys.push(...change.added.map((k) => ({ ...k })));
    return true;
  }
}
