/** Tables of the operations-account module. */
export interface OpsAccountTables {
  /** The one operations account (key 'ops'): which user it is. */
  ops_account: { key: string; user_id: string; created_at: number };
  /** The account's channel (key 'ops'): posts to everyone, stored once. */
  ops_channel: {
    key: string;
    conversation_id: string;
    /** The highest user id known to be subscribed; null before the first post. */
    subscribed_through: string | null;
    created_at: number;
  };
  /** One row per send of the operations account; a running one is resumed from `cursor` after a restart. */
  ops_broadcasts: {
    id: string;
    sender_id: string;
    target_kind: 'user' | 'department' | 'all';
    target_id: string | null;
    /** Sealed text. */
    text_enc: string;
    status: 'running' | 'done';
    total: number;
    delivered: number;
    /** The last recipient id (in id order) whose chat holds the message; null before the first batch. */
    cursor: string | null;
    created_at: number;
    updated_at: number;
    finished_at: number | null;
  };
  /** One row per user who wrote to the operations account: the feedback inbox. */
  ops_feedback: {
    user_id: string;
    conversation_id: string;
    status: 'open' | 'answered';
    /** Seq of the user's latest message to the operations account. */
    last_seq: number;
    last_at: number;
    updated_at: number;
  };
}
