import type { Conversation, Message } from '@zhixin/sdk';
import { Dexie } from 'dexie';
import type { CacheDb } from './cache.ts';

/** Messages kept per conversation on this device: enough for a screenful and some scrolling back. */
export const KEEP_MESSAGES = 200;
/** Trimming waits until a conversation holds this many, so not every write deletes one row. */
const TRIM_ABOVE = KEEP_MESSAGES + 50;
const CURSOR_KEY = 'conversations.cursor';

/** The cached conversations and the list cursor they are current to, read in one transaction. */
export async function loadConversationsWithCursor(
  db: CacheDb,
): Promise<{ conversations: Conversation[]; cursor: number | undefined }> {
  return db.transaction('r', db.conversations, db.kv, async () => ({
    conversations: await db.conversations.toArray(),
    cursor: await loadCursor(db),
  }));
}

/** The newest cached messages of a conversation, ascending by seq. */
export async function loadRecentMessages(
  db: CacheDb,
  conversationId: string,
  limit = KEEP_MESSAGES,
): Promise<Message[]> {
  const newestFirst = await db.messages
    .where('[conversationId+seq]')
    .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
    .reverse()
    .limit(limit)
    .toArray();
  return newestFirst.reverse();
}

export async function loadCursor(db: CacheDb): Promise<number | undefined> {
  const row = await db.kv.get(CURSOR_KEY);
  return typeof row?.value === 'number' ? row.value : undefined;
}

export async function saveCursor(db: CacheDb, cursor: number): Promise<void> {
  await db.kv.put({ key: CURSOR_KEY, value: cursor });
}

/** Keep only the newest KEEP_MESSAGES of a conversation. */
export async function trimMessages(db: CacheDb, conversationId: string): Promise<void> {
  const range = db.messages
    .where('[conversationId+seq]')
    .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey]);
  const count = await range.count();
  if (count <= TRIM_ABOVE) return;
  const oldest = await range.limit(count - KEEP_MESSAGES).primaryKeys();
  await db.messages.bulkDelete(oldest);
}

/** Where the writer's timer comes from (tests drive it by hand). */
export interface WriterTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const systemWriterTimers: WriterTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Batches cache writes: a burst of messages and conversation changes becomes one IndexedDB
 * transaction a moment later, not one per message. Newer versions replace queued older ones.
 */
export class CacheWriter {
  /** Queued messages; `update` ones are written only over a cached copy (no stray rows, no holes). */
  private messages = new Map<string, { message: Message; update: boolean }>();
  /** Per conversation, cached messages below this seq are dropped (the window left a hole there). */
  private dropBelow = new Map<string, number>();
  private conversations = new Map<string, Conversation>();
  private deleted = new Set<string>();
  private timer: unknown = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: () => CacheDb | null,
    private readonly delayMs = 250,
    private readonly timers: WriterTimers = systemWriterTimers,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** New or loaded messages. */
  putMessages(list: readonly Message[]): void {
    this.queue(list, false);
  }

  /** Newer versions (edits, recalls, reactions): cached copies are replaced, others ignored. */
  updateMessages(list: readonly Message[]): void {
    this.queue(list, true);
  }

  /** Forget cached messages of a conversation below a seq. */
  dropMessagesBelow(conversationId: string, seq: number): void {
    this.dropBelow.set(conversationId, Math.max(seq, this.dropBelow.get(conversationId) ?? 0));
    this.schedule();
  }

  private queue(list: readonly Message[], update: boolean): void {
    for (const m of list) {
      const key = `${m.conversationId}\u0000${m.seq}`;
      const queued = this.messages.get(key);
      if (!queued || m.version >= queued.message.version)
        this.messages.set(key, { message: m, update: update && (queued?.update ?? true) });
      else if (!update) queued.update = false;
    }
    this.schedule();
  }

  putConversations(list: readonly Conversation[]): void {
    for (const c of list) {
      this.conversations.set(c.id, c);
      this.deleted.delete(c.id);
    }
    this.schedule();
  }

  deleteConversation(id: string): void {
    this.conversations.delete(id);
    this.deleted.add(id);
    this.dropBelow.delete(id);
    for (const [key, q] of this.messages) if (q.message.conversationId === id) this.messages.delete(key);
    this.schedule();
  }

  /** Write what is queued now; resolves when it is written. */
  flush(): Promise<void> {
    if (this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
    const batch: Batch = {
      messages: [...this.messages.values()],
      conversations: [...this.conversations.values()],
      deleted: [...this.deleted],
      dropBelow: [...this.dropBelow],
    };
    this.clearQueues();
    if (
      batch.messages.length + batch.conversations.length + batch.deleted.length + batch.dropBelow.length ===
      0
    )
      return this.writing;
    this.writing = this.writing.then(() => this.write(batch)).catch((err: unknown) => this.onError(err));
    return this.writing;
  }

  /** Drop what is queued without writing (logout). */
  discard(): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    this.clearQueues();
  }

  private clearQueues(): void {
    this.messages.clear();
    this.conversations.clear();
    this.deleted.clear();
    this.dropBelow.clear();
  }

  private schedule(): void {
    if (this.timer === null) this.timer = this.timers.set(() => void this.flush(), this.delayMs);
  }

  private async write({ messages, conversations, deleted, dropBelow }: Batch): Promise<void> {
    const db = this.db();
    if (!db) return;
    const existing = await db.messages.bulkGet(
      messages.map(({ message: m }) => [m.conversationId, m.seq] as [string, number]),
    );
    // Never replace a newer cached version (a history page racing an edit), never add a stray update.
    const fresh = messages
      .filter(({ message, update }, i) => {
        const cached = existing[i];
        return cached ? cached.version <= message.version : !update;
      })
      .map((q) => q.message);
    await db.transaction('rw', db.conversations, db.messages, async () => {
      if (conversations.length > 0) await db.conversations.bulkPut(conversations);
      if (fresh.length > 0) await db.messages.bulkPut(fresh);
      for (const [id, seq] of dropBelow) {
        await db.messages.where('[conversationId+seq]').between([id, Dexie.minKey], [id, seq]).delete();
      }
      for (const id of deleted) {
        await db.conversations.delete(id);
        await db.messages
          .where('[conversationId+seq]')
          .between([id, Dexie.minKey], [id, Dexie.maxKey])
          .delete();
      }
    });
    for (const id of new Set(fresh.map((m) => m.conversationId))) await trimMessages(db, id);
  }
}

interface Batch {
  messages: { message: Message; update: boolean }[];
  conversations: Conversation[];
  deleted: string[];
  dropBelow: [string, number][];
}
