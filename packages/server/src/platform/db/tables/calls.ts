/** Tables of the calls and meetings modules (migration 0016). */
export interface CallsTables {
  calls: {
    id: string;
    conversation_id: string;
    caller_id: string;
    callee_id: string;
    media: 'audio' | 'video';
    state: 'ringing' | 'active' | 'ended';
    caller_session_id: string;
    callee_session_id: string | null;
    created_at: number;
    answered_at: number | null;
    ended_at: number | null;
    outcome: 'completed' | 'declined' | 'missed' | 'cancelled' | 'busy' | null;
    ring_until: number;
  };
  call_lines: { user_id: string; call_id: string };
  meetings: {
    id: string;
    code: string;
    topic_enc: string;
    host_id: string;
    /** JSON array of user ids. */
    co_host_ids: string;
    status: 'scheduled' | 'live' | 'ended';
    /** JSON MeetingSettings. */
    settings: string;
    /** 0 or 1. */
    muted_all: number;
    scheduled_at: number | null;
    created_at: number;
    started_at: number | null;
    ended_at: number | null;
    media_server: string | null;
    media_room: number | null;
    media_secret_enc: string | null;
  };
  meeting_invites: { meeting_id: string; user_id: string; invited_by: string; created_at: number };
  meeting_participants: {
    meeting_id: string;
    user_id: string;
    display_enc: string;
    feed_id: number;
    screen_feed_id: number;
    present: number;
    removed: number;
    muted_by_host: number;
    joined_at: number;
    first_joined_at: number;
    total_ms: number;
    history_hidden: number;
    /** JSON `{ [feedId]: audio mids }` of what this participant publishes. */
    audio_mids: string;
  };
  meeting_attendance: {
    id: string;
    meeting_id: string;
    user_id: string;
    joined_at: number;
    left_at: number | null;
  };
}
