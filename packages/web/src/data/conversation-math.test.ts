import { describe, expect, it } from 'vitest';
import {
  applyMessageCreated,
  applyMessageUpdated,
  applySettings,
  compareConversations,
  mergeConversation,
  sortedVisible,
  totalUnread,
  unreadAfterRead,
  unreadMark,
} from './conversation-math.ts';
import { buildConversation, buildMessage, ME, range } from './test-fixtures.ts';

const T0 = 1_800_000_000_000;
/** A conversation whose last message was sent `at` ms after T0 (later than its creation). */
const withLast = (id: string, seq: number, at: number) =>
  buildConversation({
    id,
    lastSeq: seq,
    lastMessage: buildMessage({ conversationId: id, seq, createdAt: T0 + at }),
  });

describe('ordering', () => {
  it('puts pinned conversations first, then the most recently active', () => {
    const old = withLast('a', 1, 1_000);
    const recent = withLast('b', 1, 5_000);
    const pinned = { ...withLast('c', 1, 10), me: { ...withLast('c', 1, 10).me, pinned: true } };
    const hidden = { ...withLast('d', 1, 9_000), me: { ...withLast('d', 1, 9_000).me, hidden: true } };
    const byId = { a: old, b: recent, c: pinned, d: hidden };
    expect(sortedVisible(byId).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('counts a fresh draft as activity', () => {
    const a = withLast('a', 1, 1_000);
    const b = {
      ...withLast('b', 1, 500),
      me: { ...withLast('b', 1, 500).me, draft: { text: 'x', updatedAt: T0 + 2_000 } },
    };
    expect([a, b].sort(compareConversations).map((c) => c.id)).toEqual(['b', 'a']);
  });
});

describe('unread math', () => {
  it('sums unread counts of conversations that are not muted or hidden', () => {
    const muted = buildConversation({ id: 'm', unreadCount: 7 });
    muted.me.muted = true;
    const byId = {
      a: buildConversation({ id: 'a', unreadCount: 2 }),
      b: buildConversation({ id: 'b', unreadCount: 3 }),
      m: muted,
    };
    expect(totalUnread(byId)).toBe(5);
  });

  it("leaves the announcement channel out of the total: a broadcast lights no one's badge (R-S4)", () => {
    const channel = buildConversation({ id: 'ch', kind: 'channel', peerId: null, unreadCount: 4 });
    const byId = { a: buildConversation({ id: 'a', unreadCount: 2 }), ch: channel };
    expect(totalUnread(byId)).toBe(2);
  });

  it('marks unread rows with a count, or with a dot when muted or an announcement channel', () => {
    const muted = buildConversation({ id: 'm', unreadCount: 7 });
    muted.me.muted = true;
    expect(unreadMark(buildConversation({ id: 'a', unreadCount: 2 }))).toBe('count');
    expect(unreadMark(muted)).toBe('dot');
    expect(unreadMark(buildConversation({ id: 'ch', kind: 'channel', peerId: null, unreadCount: 1 }))).toBe(
      'dot',
    );
    expect(unreadMark(buildConversation({ id: 'ch', kind: 'channel', peerId: null }))).toBeNull();
  });

  it('counts a message from someone else after my read position, not my own', () => {
    const c = buildConversation({ id: 'c', lastSeq: 4, unreadCount: 1 });
    c.me.readSeq = 3;
    const fromPeer = applyMessageCreated(c, buildMessage({ conversationId: 'c', seq: 5 }), ME);
    expect(fromPeer).toMatchObject({ unreadCount: 2, lastSeq: 5, mentionedMe: false });
    const mine = applyMessageCreated(
      fromPeer,
      buildMessage({ conversationId: 'c', seq: 6, senderId: ME }),
      ME,
    );
    expect(mine).toMatchObject({ unreadCount: 2, lastSeq: 6 });
  });

  it('flags a mention of me or of everyone, and brings a hidden conversation back', () => {
    const c = buildConversation({ id: 'c' });
    c.me.hidden = true;
    const next = applyMessageCreated(c, buildMessage({ conversationId: 'c', seq: 1, mentions: ['all'] }), ME);
    expect(next.mentionedMe).toBe(true);
    expect(next.me.hidden).toBe(false);
  });

  it('ignores a message it has already counted', () => {
    const c = applyMessageCreated(
      buildConversation({ id: 'c' }),
      buildMessage({ conversationId: 'c', seq: 1 }),
      ME,
    );
    expect(applyMessageCreated(c, buildMessage({ conversationId: 'c', seq: 1 }), ME)).toBe(c);
  });

  it('recounts unread after a read from the messages at hand, or says it cannot', () => {
    const c = buildConversation({ id: 'c', lastSeq: 10, unreadCount: 6 });
    c.me.readSeq = 4;
    const window = [...range('c', 1, 8), ...range('c', 9, 10, ME)];
    expect(unreadAfterRead(c, 6, window, ME)).toEqual({ unreadCount: 2, mentionedMe: false });
    expect(unreadAfterRead(c, 10, [], ME)).toEqual({ unreadCount: 0, mentionedMe: false });
    expect(unreadAfterRead(c, 6, range('c', 8, 10), ME)).toBeNull();
    expect(unreadAfterRead(c, 6, range('c', 1, 9), ME)).toBeNull();
  });
});

describe('merging a server copy', () => {
  it('keeps a newer last message and read position that live events brought meanwhile', () => {
    const live = withLast('c', 9, 9_000);
    live.me.readSeq = 9;
    const server = { ...withLast('c', 8, 8_000), unreadCount: 3 };
    const merged = mergeConversation(live, server);
    expect(merged.lastSeq).toBe(9);
    expect(merged.me.readSeq).toBe(9);
    expect(merged.unreadCount).toBe(0);
  });

  it('takes the server copy when it is ahead', () => {
    const live = withLast('c', 3, 3_000);
    const server = { ...withLast('c', 5, 5_000), unreadCount: 2, title: 'new' };
    expect(mergeConversation(live, server)).toEqual(server);
  });

  it('updates the last message on an edit or recall of it only', () => {
    const c = withLast('c', 3, 3_000);
    const recalled = buildMessage({ conversationId: 'c', seq: 3, version: 2, content: null, recalledAt: 1 });
    expect(applyMessageUpdated(c, recalled).lastMessage?.content).toBeNull();
    const other = buildMessage({ conversationId: 'c', seq: 2, version: 5 });
    expect(applyMessageUpdated(c, other)).toBe(c);
  });

  it('applies settings from another device without moving the read position back', () => {
    const c = buildConversation({ id: 'c' });
    c.me.readSeq = 8;
    const next = applySettings(c, { ...c.me, readSeq: 5, pinned: true, draft: { text: 'hi', updatedAt: 1 } });
    expect(next.me).toMatchObject({ readSeq: 8, pinned: true, draft: { text: 'hi' } });
  });
});
