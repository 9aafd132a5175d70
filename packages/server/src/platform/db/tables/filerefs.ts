/** Tables of the filerefs module (which messages carry which files) and of the media module (hash links). */
export interface FileRefsTables {
  file_refs: {
    conversation_id: string;
    seq: number;
    file_id: string;
    sender_id: string;
    created_at: number;
    /** 0 or 1: the message was recalled. */
    recalled: number;
  };
  /** An upload's sha256 before and after the media module removed its metadata. */
  media_hash_links: {
    original_sha256: string;
    cleaned_sha256: string;
    created_at: number;
  };
}
