import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from './cache.ts';
import {
  CacheWriter,
  KEEP_MESSAGES,
  loadConversationsWithCursor,
  loadRecentMessages,
  saveCursor,
  type WriterTimers,
} from './cache-store.ts';
import { buildConversation, buildMessage, range } from './test-fixtures.ts';

/** Timers the test fires by hand, to see that a burst becomes one write. */
class ManualTimers implements WriterTimers {
  scheduled: (() => void)[] = [];
  set(fn: () => void): unknown {
    this.scheduled.push(fn);
    return this.scheduled.length;
  }
  clear(): void {
    this.scheduled = [];
  }
}

let n = 0;
const opened: CacheDb[] = [];
function freshDb(): CacheDb {
  const db = new CacheDb(`test-${n++}`);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.delete();
});

describe('cache round trip', () => {
  it('returns the conversations, messages and cursor it was given after a reopen', async () => {
    const db = freshDb();
    const timers = new ManualTimers();
    const writer = new CacheWriter(() => db, 250, timers);
    const conversation = buildConversation({ id: 'c1', lastSeq: 3 });
    writer.putConversations([conversation]);
    writer.putMessages(range('c1', 1, 3));
    writer.putMessages(range('c2', 1, 2));
    expect(timers.scheduled).toHaveLength(1);
    await writer.flush();
    await saveCursor(db, 42);
    db.close();

    const again = new CacheDb(db.name.replace('zhixin-', ''));
    opened.push(again);
    expect(await loadConversationsWithCursor(again)).toEqual({ conversations: [conversation], cursor: 42 });
    expect((await loadRecentMessages(again, 'c1')).map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(await loadRecentMessages(again, 'c2')).toHaveLength(2);
  });

  it('loads the newest messages of a conversation in ascending order', async () => {
    const db = freshDb();
    const writer = new CacheWriter(() => db, 250, new ManualTimers());
    writer.putMessages(range('c1', 1, 30));
    await writer.flush();
    expect((await loadRecentMessages(db, 'c1', 5)).map((m) => m.seq)).toEqual([26, 27, 28, 29, 30]);
  });

  it('keeps only the newest messages of a long conversation', async () => {
    const db = freshDb();
    const writer = new CacheWriter(() => db, 250, new ManualTimers());
    writer.putMessages(range('c1', 1, KEEP_MESSAGES + 100));
    await writer.flush();
    const kept = await loadRecentMessages(db, 'c1', 10_000);
    expect(kept).toHaveLength(KEEP_MESSAGES);
    expect(kept[0]?.seq).toBe(101);
  });

  it('never replaces a newer cached version and writes updates only over cached messages', async () => {
    const db = freshDb();
    const writer = new CacheWriter(() => db, 250, new ManualTimers());
    writer.putMessages([buildMessage({ conversationId: 'c1', seq: 1, version: 3 })]);
    await writer.flush();
    writer.putMessages([buildMessage({ conversationId: 'c1', seq: 1, version: 2 })]);
    writer.updateMessages([buildMessage({ conversationId: 'c1', seq: 7, version: 2 })]);
    await writer.flush();
    const rows = await loadRecentMessages(db, 'c1');
    expect(rows.map((m) => [m.seq, m.version])).toEqual([[1, 3]]);
  });

  it('deletes a conversation with its messages, and drops messages below a seq', async () => {
    const db = freshDb();
    const writer = new CacheWriter(() => db, 250, new ManualTimers());
    writer.putConversations([buildConversation({ id: 'c1' }), buildConversation({ id: 'c2' })]);
    writer.putMessages([...range('c1', 1, 3), ...range('c2', 1, 5)]);
    await writer.flush();
    writer.deleteConversation('c1');
    writer.dropMessagesBelow('c2', 4);
    await writer.flush();
    expect((await loadConversationsWithCursor(db)).conversations.map((c) => c.id)).toEqual(['c2']);
    expect(await loadRecentMessages(db, 'c1')).toEqual([]);
    expect((await loadRecentMessages(db, 'c2')).map((m) => m.seq)).toEqual([4, 5]);
  });

  it('writes nothing after a discard (logout)', async () => {
    const db = freshDb();
    const writer = new CacheWriter(() => db, 250, new ManualTimers());
    writer.putMessages(range('c1', 1, 3));
    writer.discard();
    await writer.flush();
    expect(await loadRecentMessages(db, 'c1')).toEqual([]);
  });
});
