/** Tables of the friends module (the 致信号 columns live on `users`, in accounts.ts). */
export interface FriendsTables {
  friend_requests: {
    id: string;
    from_id: string;
    to_id: string;
    message_enc: string;
    remark_enc: string;
    status: 'pending' | 'accepted' | 'declined';
    created_at: number;
    updated_at: number;
    expires_at: number;
  };
  user_blocks: { owner_id: string; blocked_id: string; created_at: number };
  friend_privacy: {
    user_id: string;
    add_policy: 'verify' | 'anyone' | 'nobody';
    /** 0 or 1 (SQLite has no boolean). */
    findable_by_phone: number;
    findable_by_account: number;
    updated_at: number;
  };
}
