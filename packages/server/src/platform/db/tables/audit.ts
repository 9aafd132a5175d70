/** The hash-chained audit log (file evidence R-T2, sign-ins, staff and security events). */
export interface AuditTables {
  audit_log: {
    /** 1, 2, 3, ... without gaps: a missing seq is a removed record. */
    seq: number;
    at: number;
    category: string;
    action: string;
    actor_id: string | null;
    subject: string | null;
    conversation_id: string | null;
    /** JSON array of user ids. */
    target_ids: string;
    device_id: string | null;
    ip: string | null;
    /** JSON object, sealed with the keyring (context `audit.details`). */
    details_enc: string;
    prev_hash: string;
    hash: string;
  };
}
