/** Key material, each wrapped by the key-encryption key (KEK) and stored so every node of a cluster shares it. */
export type KeyPurpose = 'data' | 'index' | 'jwt';

export interface StoredKey {
  id: string;
  purpose: KeyPurpose;
  wrapped: string;
  /** The KEK that wraps it; null: the master key itself (installations before the KEK existed). */
  kekId: string | null;
  createdAt: number;
  retiredAt: number | null;
}

export interface MasterMeta {
  salt1: string;
  salt2: string;
  /** log2 of the scrypt cost the installation was created with. */
  logN: number;
  verifier: string;
  /** The current KEK, wrapped by the master key; null until the first unseal that creates it. */
  kekId: string | null;
  kekWrapped: string | null;
}

/** A change that must land whole or not at all (KEK creation, rotation, a custodian's new password). */
export interface KeyChange {
  /** Applied only while the stored meta still has this verifier and KEK id (another writer may have won). */
  expected: { verifier: string; kekId: string | null };
  meta: MasterMeta;
  /** Keys re-wrapped under `meta.kekId` (and possibly retired). */
  rewrapped: Array<Pick<StoredKey, 'id' | 'wrapped' | 'kekId' | 'retiredAt'>>;
  added: StoredKey[];
}

/** Where the keyring keeps its wrapped keys (the crypto repo). */
export interface KeyStore {
  loadMeta(): Promise<MasterMeta | null>;
  /** Insert unless present; returns what is stored afterwards (another node may have won). */
  initMeta(meta: MasterMeta): Promise<MasterMeta>;
  loadKeys(): Promise<StoredKey[]>;
  addKey(key: StoredKey): Promise<void>;
  /** Apply a change in one transaction; false (and nothing changed) when `expected` no longer holds. */
  commit(change: KeyChange): Promise<boolean>;
}

export interface KeyHolder {
  nodeId: string;
  kekId: string;
  seenAt: number;
}

/** The leases of nodes that hold the KEK in memory. */
export interface KeyHolders {
  renew(holder: KeyHolder): Promise<void>;
  release(nodeId: string): Promise<void>;
  /** Holders whose lease was renewed at or after `since`. */
  live(since: number): Promise<KeyHolder[]>;
}
