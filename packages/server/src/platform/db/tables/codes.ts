/** Tables of the security-codes module (R-C7). */
export interface CodesTables {
  /** One row per user who has looked at their code: its version and chosen validity. */
  user_codes: {
    user_id: string;
    /** Bumped on refresh: codes signed with an older version stop working. */
    version: number;
    /** Days a code stays valid; 0 never expires; null follows the server's default. */
    validity_days: number | null;
    /** When the current version was issued (its expiry is counted from here). */
    issued_at: number;
  };
  /** A desktop waiting for a signed-in phone to scan and confirm its quick-login code. */
  quick_login_attempts: {
    id: string;
    /** sha256 of the poll token only the desktop holds. */
    poll_hash: string;
    device_id: string;
    device_name: string;
    device_platform: string;
    /** pending → scanned → confirmed → done, or declined. */
    state: string;
    scanner_id: string | null;
    expires_at: number;
    created_at: number;
    updated_at: number;
  };
  /** Directed-transfer codes: a target and a sealed prepared message. */
  transfer_codes: {
    id: string;
    creator_id: string;
    target_user_id: string | null;
    conversation_id: string | null;
    message_enc: string;
    expires_at: number | null;
    created_at: number;
  };
}
