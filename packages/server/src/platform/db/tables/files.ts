/** Tables of the files module (R-L3, R-M3): one row per upload, and the operator's file settings. */
export interface FilesTables {
  files: {
    /** The tus upload id: a capability id (80 fresh random bits). */
    id: string;
    owner_id: string;
    /** The sanitised name, sealed with the keyring (context `files.name`). */
    name_enc: string;
    /** Sniffed from the content once complete; the client's claim until then. */
    mime: string;
    /** The declared Upload-Length. */
    size: number;
    sha256: string | null;
    /** uploading | scanning | ready | rejected | expired | deleted */
    status: string;
    reason: string | null;
    width: number | null;
    height: number | null;
    duration_ms: number | null;
    /** The thumbnail's type (JPEG or WebP) when the media module made one; null: none. */
    thumbnail_mime: string | null;
    /** The conversation named at upload (the uploader was a member then). */
    conversation_id: string | null;
    /** Retention class from that conversation's kind at upload: direct | group | self | none. */
    retention_class: string;
    created_at: number;
    completed_at: number | null;
    /** When the blob was removed (expired, deleted, rejected or abandoned). */
    removed_at: number | null;
  };
  /** A single row (id 1): the operator's settings as JSON, over the config defaults. */
  file_settings: {
    id: number;
    settings: string;
    updated_at: number;
  };
}
