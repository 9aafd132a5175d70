/** Tables of the auth and users modules. Encrypted columns end in `_enc`; blind indexes in `_index`. */
export interface AccountsTables {
  users: {
    id: string;
    phone_enc: string;
    phone_index: string;
    password_hash: string;
    nickname_enc: string;
    avatar_file_id: string | null;
    signature_enc: string;
    role: 'user' | 'operator' | 'auditor' | 'admin';
    /** `deactivated`: removed by invalid-user screening (no seat, no login). */
    status: 'active' | 'disabled' | 'deactivated';
    created_at: number;
    updated_at: number;
    last_active_at: number | null;
    /** The 致信号 as typed, and its lower-case form (unique); both null while unset. */
    account: string | null;
    account_key: string | null;
  };
  /** One row per login of one device; the refresh token rotates on the row. */
  sessions: {
    id: string;
    user_id: string;
    device_id: string;
    device_name: string;
    platform: string;
    refresh_hash: string;
    /** The hash before the last rotation: presenting it again means the token was stolen. */
    prev_refresh_hash: string | null;
    refresh_expires_at: number;
    created_at: number;
    last_seen_at: number;
    revoked_at: number | null;
  };
  sms_codes: {
    phone_index: string;
    purpose: string;
    code_hash: string;
    expires_at: number;
    attempts: number;
    created_at: number;
  };
  sms_sends: { phone_index: string; purpose: string; sent_at: number };
  login_failures: { key: string; failures: number; locked_until: number | null; updated_at: number };
}
