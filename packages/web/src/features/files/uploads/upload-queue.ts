import { Dexie, type EntityTable } from 'dexie';

export type UploadKind = 'image' | 'video' | 'file' | 'voice';

/** What the browser measured before uploading (the server's facts win when it has them). */
export interface LocalProbe {
  width?: number;
  height?: number;
  durationMs?: number;
}

/**
 * One upload waiting to become a message, persisted so that it survives a reload: the SDK resumes
 * the bytes (tus), this row remembers what to send once they are in.
 */
export interface QueuedUpload {
  id: string;
  conversationId: string;
  kind: UploadKind;
  name: string;
  mime: string;
  size: number;
  /** The content itself, kept while it is small enough (see MAX_PERSISTED_BYTES); else null. */
  blob: Blob | null;
  probe: LocalProbe;
  /** The message's idempotency key: a resend after a reload cannot make two messages. */
  clientId: string;
  /** The disclaimer version the user accepted for this send, when one was shown. */
  disclaimerVersion: number | null;
  /** Set once the bytes are all uploaded. */
  fileId: string | null;
  createdAt: number;
}

/** Larger files are not copied into IndexedDB: after a reload the user picks them again to resume. */
export const MAX_PERSISTED_BYTES = 256 * 1024 ** 2;

class UploadDb extends Dexie {
  uploads!: EntityTable<QueuedUpload, 'id'>;

  constructor(userId: string) {
    super(`zhixin-uploads-${userId}`);
    this.version(1).stores({ uploads: 'id, conversationId, createdAt' });
  }
}

let db: UploadDb | null = null;

function open(userId: string): UploadDb {
  if (db?.name !== `zhixin-uploads-${userId}`) {
    db?.close();
    db = new UploadDb(userId);
  }
  return db;
}

/** The persisted queue of one user. Storage failures lose only the after-reload resume, never a send. */
export const uploadQueue = {
  open,
  async all(): Promise<QueuedUpload[]> {
    return db ? db.uploads.orderBy('createdAt').toArray() : [];
  },
  async put(entry: QueuedUpload): Promise<void> {
    await db?.uploads.put(entry);
  },
  async patch(id: string, change: Partial<QueuedUpload>): Promise<void> {
    await db?.uploads.update(id, change);
  },
  async remove(id: string): Promise<void> {
    await db?.uploads.delete(id);
  },
  /** Close it; with a user id, delete that user's queue (logout). */
  async close(deleteFor: string | null): Promise<void> {
    db?.close();
    db = null;
    if (deleteFor) await Dexie.delete(`zhixin-uploads-${deleteFor}`);
  },
};
