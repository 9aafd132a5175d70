/** Tables of the directory module. */
export interface DirectoryTables {
  departments: {
    id: string;
    parent_id: string | null;
    /** parent_id, or '' for a top-level department. */
    parent_key: string;
    name: string;
    sort_order: number;
    /** '/<rootId>/.../<id>/': ids from the top down. */
    path: string;
    created_at: number;
    updated_at: number;
  };
  department_members: {
    department_id: string;
    user_id: string;
    title: string;
    is_primary: number;
    created_at: number;
  };
  /** Saved import sources by kind ('ldap'); `secret_enc` is sealed. */
  directory_sources: { kind: string; config: string; secret_enc: string | null; updated_at: number };
}
