/** Tables of the system (runtime settings) and recommend modules. */
export interface SystemTables {
  /** One row per settings group; `value` is JSON (secrets sealed inside it). */
  runtime_settings: { key: string; value: string; updated_at: number; updated_by: string | null };
  /** People a user asked not to be suggested again. */
  recommendation_dismissals: { user_id: string; dismissed_id: string; created_at: number };
}
