import type { FileInfo, FileSettings } from '@zhixin/protocol';
import type { FileFacts } from './files.repo.ts';

/**
 * What other modules use of the files module (uploads, storage, downloads). The media module
 * plugs a processor in; the messages module tells who may read a file through `FileReadAccess`.
 */
export interface FilesService {
  /** A file's record, or null; no access check (for modules). */
  get(id: string): Promise<FileInfo | null>;
  /**
   * A file's record without its name, or null; no access check. For checks that never show the
   * name (sending a file, evidence): the sealed name is then neither read nor opened.
   */
  facts(id: string): Promise<FileFacts | null>;
  /** Current operator settings (limits, quota, retention, disclaimer). */
  settings(): Promise<FileSettings>;
  /**
   * Remove the blobs (original and thumbnail) of these files and mark them `expired`, with an
   * evidence record each (actor: the system). Returns the ids that changed.
   */
  expire(ids: readonly string[]): Promise<string[]>;
  /** Ready files created before `before` whose retention class is due, oldest first (the retention job). */
  expiredCandidates(
    before: (kind: 'direct' | 'group' | 'self' | 'none') => number,
    limit: number,
  ): Promise<string[]>;
}

/** The result of looking into a completed upload (media module): facts and derived files. */
export interface MediaFacts {
  /** The real type from the content, when the processor recognised it. */
  mime?: string;
  width?: number;
  height?: number;
  durationMs?: number;
  /** A JPEG or WebP thumbnail (images) or poster frame (videos). */
  thumbnail?: { data: Buffer; mime: string };
  /**
   * A cleaned copy to keep instead of the upload (e.g. an image with its EXIF location removed).
   * The file's sha256 is then that of the copy; evidence records both hashes.
   */
  replacementPath?: string;
}

export interface MediaProcessor {
  /** Look at a completed upload on local disk; never throws for unreadable media (returns {}). */
  process(input: { path: string; mime: string; name: string }): Promise<MediaFacts>;
}

/** Who may read a file besides its owner: members of a conversation where it was sent. */
export interface FileReadAccess {
  mayRead(userId: string, fileId: string, conversationId: string | undefined): Promise<boolean>;
}
