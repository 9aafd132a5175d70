/** Tables of the moments module (战友圈). User content (`*_enc`) is sealed with the keyring. */
export interface MomentsTables {
  moments_posts: {
    id: string;
    author_id: string;
    text_enc: string;
    /** JSON array of MomentMedia (file ids and facts; no user text). */
    media: string;
    /** Sealed location label, or null. */
    location_enc: string | null;
    /** JSON array of mentioned user ids. */
    mentions: string;
    visibility: 'everyone' | 'friends' | 'self';
    /** live; deleted by its author; removed by an operator. */
    state: 'live' | 'deleted' | 'removed';
    created_at: number;
    updated_at: number;
  };
  /** Which post carries which file (read access to the file follows the post). */
  moments_post_files: { file_id: string; post_id: string };
  moments_likes: { post_id: string; user_id: string; created_at: number };
  moments_comments: {
    id: string;
    post_id: string;
    author_id: string;
    text_enc: string;
    reply_to_comment_id: string | null;
    reply_to_user_id: string | null;
    created_at: number;
  };
  moments_notifications: {
    id: string;
    user_id: string;
    kind: 'like' | 'comment' | 'reply' | 'mention' | 'removed';
    post_id: string;
    actor_id: string | null;
    comment_id: string | null;
    created_at: number;
    /** 0 or 1. */
    read: number;
  };
  moments_drafts: {
    user_id: string;
    kind: 'post' | 'comment';
    key: string;
    content_enc: string;
    updated_at: number;
  };
  moments_covers: { user_id: string; file_id: string; updated_at: number };
  moments_reports: {
    id: string;
    post_id: string;
    reporter_id: string;
    reason_enc: string;
    status: 'open' | 'removed' | 'dismissed';
    created_at: number;
    resolved_at: number | null;
    resolved_by: string | null;
  };
}
