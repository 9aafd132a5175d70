/** Tables of the contacts, preferences, images and settings modules. */
export interface PeopleTables {
  /** One row per (owner, contact): the owner's personal contact list. */
  contacts: {
    owner_id: string;
    contact_id: string;
    remark_enc: string;
    created_at: number;
    updated_at: number;
  };
  user_preferences: { user_id: string; value: string; updated_at: number };
  images: {
    id: string;
    owner_id: string;
    mime: string;
    /** A Buffer from both drivers (SQLite blob, PostgreSQL bytea). */
    bytes: Uint8Array;
    sha256: string;
    size: number;
    created_at: number;
  };
  /** Operator settings by key; `value` is JSON. */
  system_settings: { key: string; value: string; updated_at: number };
}
