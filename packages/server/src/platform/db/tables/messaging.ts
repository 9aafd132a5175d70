/** Tables of the conversations and messages modules. Booleans are 0/1 integers on both dialects. */
export interface MessagingTables {
  conversations: {
    id: string;
    kind: 'direct' | 'group' | 'channel' | 'system';
    title: string;
    /** Sorted pair of user ids for a direct chat, so there is one per pair. */
    direct_key: string | null;
    owner_id: string | null;
    last_seq: number;
    member_count: number;
    created_at: number;
    updated_at: number;
  };
  members: {
    conversation_id: string;
    user_id: string;
    role: 'owner' | 'admin' | 'member';
    joined_at: number;
    read_seq: number;
    pinned: number;
    muted: number;
    hidden: number;
    draft_enc: string | null;
    draft_updated_at: number | null;
    /** Bumped on any change of this row or of the conversation for this member: the sync cursor. */
    updated_at: number;
  };
  messages: {
    conversation_id: string;
    seq: number;
    id: string;
    client_id: string;
    /** Hash of the original send request: a retry with the same client id must match it. */
    client_hash: string;
    sender_id: string;
    kind: string;
    /** Encrypted JSON of the content; null once recalled. */
    content_enc: string | null;
    /** JSON array of mentioned user ids (or 'all'). */
    mentions: string;
    /** Encrypted JSON of `{replyTo, forwardedFrom}`, or null. */
    extra_enc: string | null;
    created_at: number;
    edited_at: number | null;
    recalled_at: number | null;
    updated_at: number;
    version: number;
    /** 0 or 1 (migration 0012): the file this message carries was removed (`Message.fileExpired`). */
    file_expired: number;
    /** HMAC of what a reader sees of the row (migration 0019, modules/messages/integrity.ts); 'legacy' before its backfill. */
    mac: string;
  };
  /** One row per backfill (migration 0019): `done_at` set once no row carries a 'legacy' MAC. */
  message_mac_backfill: { name: string; done_at: number | null };
  reactions: { conversation_id: string; seq: number; user_id: string; emoji: string; created_at: number };
}
