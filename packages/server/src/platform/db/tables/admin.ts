/** Tables of the license module and of the directory's departures (invalid-user screening, R-C2). */
export interface AdminTables {
  /** Installed license files; the newest installed one is in force. */
  licenses: {
    id: string;
    /** The whole signed file, as installed (verified again on every read). */
    text: string;
    installed_at: number;
    installed_by: string | null;
  };
  /** People the directory marks as having left the organisation. */
  directory_departures: { user_id: string; left_at: number; marked_by: string | null };
}
