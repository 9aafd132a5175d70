import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import {
  eventsNamed,
  recordEvents,
  restClient,
  text,
  type RecordedEvent,
  type TestClient,
} from '../conversations/messaging.testing.ts';

function travel(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + ms });
}

afterEach(() => {
  vi.useRealTimers();
});

describe.each(testDialects())('message operations (%s)', (dialect) => {
  let app: App;
  let events: RecordedEvent[];
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let group: string;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    events = recordEvents(app);
    [alice, bob, carol] = await Promise.all([restClient(app), restClient(app), restClient(app)]);
    group = (await alice.call('groups.create', { title: '讨论组', memberIds: [bob.userId, carol.userId] }))
      .id;
  });
  afterAll(() => app.close());

  async function freshChat(): Promise<string> {
    return (await alice.call('groups.create', { title: 'chat', memberIds: [bob.userId] })).id;
  }

  it('pages history newest first below a seq and pulls a gap oldest first above one', async () => {
    const id = await freshChat();
    for (let i = 1; i <= 7; i++) await alice.call('messages.send', text(id, `n${i}`));
    const newest = await bob.call('messages.history', { conversationId: id, limit: 3 });
    expect(newest.messages.map((m) => m.seq)).toEqual([7, 6, 5]);
    expect(newest.hasMore).toBe(true);
    const older = await bob.call('messages.history', { conversationId: id, beforeSeq: 5, limit: 3 });
    expect(older.messages.map((m) => m.seq)).toEqual([4, 3, 2]);
    const oldest = await bob.call('messages.history', { conversationId: id, beforeSeq: 2, limit: 3 });
    expect(oldest).toMatchObject({ hasMore: false });
    expect(oldest.messages.map((m) => m.seq)).toEqual([1]);
    const gap = await bob.call('messages.history', { conversationId: id, afterSeq: 2, limit: 4 });
    expect(gap.messages.map((m) => m.seq)).toEqual([3, 4, 5, 6]);
    expect(gap.hasMore).toBe(true);
    const rest = await bob.call('messages.history', { conversationId: id, afterSeq: 6 });
    expect(rest).toMatchObject({ hasMore: false });
    expect(rest.messages.map((m) => m.content)).toEqual([{ kind: 'text', text: 'n7' }]);
  });

  it('edits my own text message: new content, editedAt, version + 1, and an update event', async () => {
    const msg = await alice.call('messages.send', text(group, 'draft wording'));
    const mark = events.length;
    const edited = await alice.call('messages.edit', {
      conversationId: group,
      seq: msg.seq,
      content: { kind: 'text', text: 'final wording' },
    });
    expect(edited).toMatchObject({
      seq: msg.seq,
      content: { kind: 'text', text: 'final wording' },
      version: 2,
    });
    expect(edited.editedAt).toBeGreaterThanOrEqual(msg.createdAt);
    const [update] = eventsNamed(events, 'message.updated.v1', mark);
    expect(update?.body).toEqual(edited);
    expect(update?.exceptSessionId).toBe(alice.sessionId);
    expect(new Set(update?.recipients)).toEqual(new Set([alice.userId, bob.userId, carol.userId]));
  });

  it("refuses to edit someone else's message, a recalled one, or past 2,048 bytes", async () => {
    const msg = await alice.call('messages.send', text(group, 'mine'));
    const body = { conversationId: group, seq: msg.seq, content: { kind: 'text' as const, text: 'hijack' } };
    expect(await bob.fail('messages.edit', body)).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await alice.fail('messages.edit', { ...body, content: { kind: 'text', text: '字'.repeat(683) } }),
    ).toMatchObject({
      code: 'MESSAGE_TOO_LONG',
    });
    await alice.call('messages.recall', { conversationId: group, seq: msg.seq });
    expect(await alice.fail('messages.edit', body)).toMatchObject({ code: 'CONFLICT' });
  });

  it('recalls my message within the window: content gone for everyone, version up', async () => {
    const msg = await alice.call('messages.send', text(group, 'oops'));
    const mark = events.length;
    const recalled = await alice.call('messages.recall', { conversationId: group, seq: msg.seq });
    expect(recalled).toMatchObject({ content: null, version: 2 });
    expect(recalled.recalledAt).not.toBeNull();
    expect(eventsNamed(events, 'message.updated.v1', mark)).toHaveLength(1);
    const seen = await bob.call('messages.history', {
      conversationId: group,
      afterSeq: msg.seq - 1,
      limit: 1,
    });
    expect(seen.messages[0]?.content).toBeNull();
    const row = await app.platform.db
      .selectFrom('messages')
      .select('content_enc')
      .where('id', '=', msg.id)
      .executeTakeFirstOrThrow();
    expect(row.content_enc).toBeNull();
  });

  it('refuses a recall after the window with RECALL_WINDOW_PASSED, and a recall by another member', async () => {
    const msg = await alice.call('messages.send', text(group, 'too late to take back'));
    expect(await bob.fail('messages.recall', { conversationId: group, seq: msg.seq })).toMatchObject({
      code: 'FORBIDDEN',
    });
    travel((app.platform.config.messages.recallWindowSeconds + 1) * 1000);
    expect(await alice.fail('messages.recall', { conversationId: group, seq: msg.seq })).toMatchObject({
      status: 403,
      code: 'RECALL_WINDOW_PASSED',
    });
  });

  it('toggles reactions per user and aggregates them per emoji', async () => {
    const msg = await carol.call('messages.send', text(group, 'lunch?'));
    const ref = { conversationId: group, seq: msg.seq };
    await alice.call('messages.react', { ...ref, emoji: '👍', on: true });
    await bob.call('messages.react', { ...ref, emoji: '👍', on: true });
    const both = await bob.call('messages.react', { ...ref, emoji: '🍜', on: true });
    expect(both.reactions).toEqual([
      { emoji: '👍', userIds: [alice.userId, bob.userId] },
      { emoji: '🍜', userIds: [bob.userId] },
    ]);
    expect(both.version).toBe(4);
    const mark = events.length;
    const same = await alice.call('messages.react', { ...ref, emoji: '👍', on: true });
    expect(same.version).toBe(4);
    expect(eventsNamed(events, 'message.updated.v1', mark)).toHaveLength(0);
    const off = await alice.call('messages.react', { ...ref, emoji: '👍', on: false });
    expect(off.reactions).toEqual([
      { emoji: '👍', userIds: [bob.userId] },
      { emoji: '🍜', userIds: [bob.userId] },
    ]);
    expect(eventsNamed(events, 'message.updated.v1', mark)).toHaveLength(1);
  });

  it('lists edits, recalls and reactions since a time in changes, not plain new messages', async () => {
    const id = await freshChat();
    const since = Date.now() - 1;
    const a = await alice.call('messages.send', text(id, 'a'));
    const b = await alice.call('messages.send', text(id, 'b'));
    await alice.call('messages.send', text(id, 'c'));
    await alice.call('messages.edit', {
      conversationId: id,
      seq: a.seq,
      content: { kind: 'text', text: 'a2' },
    });
    await bob.call('messages.react', { conversationId: id, seq: b.seq, emoji: '❤️', on: true });
    const changes = await bob.call('messages.changes', { conversationId: id, since });
    expect(changes.messages.map((m) => m.seq).sort()).toEqual([a.seq, b.seq]);
    expect(changes.hasMore).toBe(false);
    const later = await bob.call('messages.changes', { conversationId: id, since: Date.now() + 1000 });
    expect(later.messages).toEqual([]);
    expect(await carol.fail('messages.changes', { conversationId: id, since })).toMatchObject({
      code: 'NOT_MEMBER',
    });
  });

  it('reports group read receipts: who of the others has read up to a message', async () => {
    const msg = await alice.call('messages.send', text(group, 'please read'));
    const before = await alice.call('messages.readers', { conversationId: group, seq: msg.seq });
    expect(before.readUserIds).toEqual([]);
    expect(new Set(before.unreadUserIds)).toEqual(new Set([bob.userId, carol.userId]));
    await bob.call('conversations.markRead', { conversationId: group, seq: msg.seq });
    const after = await carol.call('messages.readers', { conversationId: group, seq: msg.seq });
    expect(after).toEqual({ readUserIds: [bob.userId], unreadUserIds: [carol.userId] });
  });

  it('answers NOT_FOUND for a message that does not exist', async () => {
    expect(await alice.fail('messages.readers', { conversationId: group, seq: 999_999 })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await alice.fail('messages.recall', { conversationId: group, seq: 999_999 })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      await alice.fail('messages.react', { conversationId: group, seq: 999_999, emoji: '👍', on: true }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
