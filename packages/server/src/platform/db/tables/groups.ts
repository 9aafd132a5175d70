/** Tables of group management (R-L1, R-M4) and of the job scheduler's leases. */
export interface GroupsTables {
  /** One row per group: what members see beyond the title, and the group code version. */
  group_settings: {
    conversation_id: string;
    avatar_image_id: string | null;
    /** Sealed announcement text; null when none. */
    announcement_enc: string | null;
    announcement_at: number | null;
    announcement_by: string | null;
    join_approval: number;
    mute_all: number;
    temporary: number;
    dissolved_at: number | null;
    /** Bumped by groups.refreshCode: group codes signed with an older version stop working. */
    code_version: number;
    updated_at: number;
  };
  /** A member's group-specific state: sealed group nickname, mute. */
  group_member_state: {
    conversation_id: string;
    user_id: string;
    nickname_enc: string | null;
    muted_until: number | null;
  };
  group_join_requests: {
    id: string;
    conversation_id: string;
    user_id: string;
    inviter_id: string | null;
    created_at: number;
  };
  /** Which node runs a scheduled job until when (several nodes, one runner). */
  job_leases: { name: string; holder: string; expires_at: number };
}
