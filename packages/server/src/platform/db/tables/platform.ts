/** Tables of the platform itself (crypto keyring). */
export interface PlatformTables {
  crypto_meta: {
    id: string;
    salt1: string;
    salt2: string;
    log_n: number;
    verifier: string;
    created_at: number;
  };
  crypto_keys: {
    id: string;
    purpose: string;
    wrapped: string;
    created_at: number;
    retired_at: number | null;
  };
}
