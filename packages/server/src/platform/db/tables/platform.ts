/** Tables of the platform itself (crypto keyring). */
export interface PlatformTables {
  crypto_meta: {
    id: string;
    salt1: string;
    salt2: string;
    log_n: number;
    verifier: string;
    created_at: number;
    /** The current key-encryption key, wrapped by the master key; NULL before the first unseal after 0018. */
    kek_id: string | null;
    kek_wrapped: string | null;
  };
  crypto_keys: {
    id: string;
    purpose: string;
    wrapped: string;
    created_at: number;
    retired_at: number | null;
    /** The KEK that wraps this key; NULL: wrapped by the master key (installations before 0018). */
    kek_id: string | null;
  };
  /** Nodes holding the KEK in memory: a lease each renews while it runs. */
  crypto_holders: {
    node_id: string;
    kek_id: string;
    seen_at: number;
  };
}
