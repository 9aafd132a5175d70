/**
 * Usage statistics (R-A1): rollups filled from events, never from scanning messages. Counts are
 * added by every node's periodic flush (`n = n + excluded.n`), so several nodes share the rows.
 */
export interface StatsTables {
  /** One row per UTC hour (`bucket` = the hour's start, ms): sums, and the highest online sample. */
  stats_hours: {
    bucket: number;
    new_users: number;
    logins: number;
    new_groups: number;
    direct_messages: number;
    group_messages: number;
    meetings: number;
    meeting_participants: number;
    meeting_seconds: number;
    peak_online_users: number;
    peak_online_connections: number;
  };
  /**
   * One row per user and day (`day` = the start of the day in `stats.timeZone`, ms): the set the
   * distinct counts (active users, senders) are taken from. Bit i of a mask: active (sent) in the
   * i-th hour of that day.
   */
  stats_user_days: {
    day: number;
    user_id: string;
    active_hours: number;
    sent_hours: number;
    messages_sent: number;
    logins: number;
    last_active_at: number;
  };
  /** One row per group and day with at least one message: the set of active groups. */
  stats_group_days: {
    day: number;
    conversation_id: string;
    messages: number;
    active_hours: number;
  };
  /**
   * The latest day each member of a set was seen (`set`: `a` active users, `s` senders, `g` active
   * groups): distinct counts over a range reaching today are a count of `day >= from` here.
   */
  stats_latest: {
    set: string;
    member_id: string;
    day: number;
  };
  /** Distinct counts of periods that have closed (they no longer change): computed once. */
  stats_closed_periods: {
    metric: string;
    granularity: string;
    bucket: number;
    value: number;
  };
}
