import { describe, expect, it } from 'vitest';
import {
  applyServerMessage,
  applyUpdate,
  continuesWindow,
  EMPTY_WINDOW,
  mergeMessages,
  prependOlder,
  reconcileNewest,
  setPendingStatus,
  timelineOf,
  type MessageWindow,
  type PendingMessage,
} from './message-window.ts';
import { buildMessage, ME, range } from './test-fixtures.ts';

const seqs = (w: MessageWindow) => w.messages.map((m) => m.seq);
const loaded = (messages = range('c', 1, 0)): MessageWindow => ({
  ...EMPTY_WINDOW,
  messages,
  loaded: true,
  hasMoreBefore: (messages[0]?.seq ?? 1) > 1,
});

function pending(clientId: string, createdAt: number): PendingMessage {
  return {
    clientId,
    conversationId: 'c',
    senderId: ME,
    content: { kind: 'text', text: clientId },
    mentions: [],
    replyTo: null,
    createdAt,
    status: 'sending',
  };
}

describe('mergeMessages', () => {
  it('orders by seq, drops duplicates and keeps the higher version', () => {
    const v2 = buildMessage({ conversationId: 'c', seq: 2, version: 2 });
    const merged = mergeMessages([buildMessage({ conversationId: 'c', seq: 3 }), v2], range('c', 1, 3));
    expect(merged.map((m) => [m.seq, m.version])).toEqual([
      [1, 1],
      [2, 2],
      [3, 1],
    ]);
  });
});

describe('pending sends', () => {
  it('shows pending sends after the server messages in send order', () => {
    const w = { ...loaded(range('c', 1, 2)), pending: [pending('b', 20), pending('a', 10)] };
    expect(timelineOf(w).map((e) => e.key)).toEqual(['s1', 's2', 'pa', 'pb']);
  });

  it('replaces a pending send by the server message carrying its client id', () => {
    const w = { ...loaded(range('c', 1, 2)), pending: [pending('mine', 10)] };
    const ack = buildMessage({ conversationId: 'c', seq: 3, clientId: 'mine', senderId: ME });
    const next = applyServerMessage(w, ack);
    expect(next.pending).toEqual([]);
    expect(timelineOf(next).map((e) => e.key)).toEqual(['s1', 's2', 's3']);
  });

  it('hides a pending send whose ack is already in the window (the event came first)', () => {
    const ack = buildMessage({ conversationId: 'c', seq: 3, clientId: 'mine', senderId: ME });
    const w = { ...loaded([...range('c', 1, 2), ack]), pending: [pending('mine', 10)] };
    expect(timelineOf(w).filter((e) => e.kind === 'pending')).toEqual([]);
  });

  it('marks a failed send and clears the error when it is retried', () => {
    const w = { ...loaded(), pending: [pending('x', 1)] };
    const failed = setPendingStatus(w, 'x', 'failed', 'NETWORK');
    expect(failed.pending[0]).toMatchObject({ status: 'failed', error: 'NETWORK' });
    expect(setPendingStatus(failed, 'x', 'sending').pending[0]?.error).toBeUndefined();
  });
});

describe('updates', () => {
  it('applies a newer version of a held message and ignores older or unknown ones', () => {
    const w = loaded(range('c', 1, 3));
    const edited = buildMessage({ conversationId: 'c', seq: 2, version: 3 });
    const next = applyUpdate(w, edited);
    expect(next.messages[1]?.version).toBe(3);
    expect(applyUpdate(next, buildMessage({ conversationId: 'c', seq: 2, version: 2 }))).toBe(next);
    expect(applyUpdate(next, buildMessage({ conversationId: 'c', seq: 9, version: 2 }))).toBe(next);
  });
});

describe('continuesWindow', () => {
  it('accepts the next seq and refuses a jump past it', () => {
    const w = loaded(range('c', 1, 3));
    expect(continuesWindow(w, buildMessage({ conversationId: 'c', seq: 4 }))).toBe(true);
    expect(continuesWindow(w, buildMessage({ conversationId: 'c', seq: 6 }))).toBe(false);
    expect(continuesWindow(EMPTY_WINDOW, buildMessage({ conversationId: 'c', seq: 6 }))).toBe(true);
  });
});

describe('reconcileNewest', () => {
  it('joins the cached window to an overlapping newest page', () => {
    const cached = loaded(range('c', 1, 60));
    const next = reconcileNewest(cached, range('c', 41, 90), true);
    expect(seqs(next)).toEqual(range('c', 1, 90).map((m) => m.seq));
    expect(next.hasMoreBefore).toBe(false);
  });

  it('replaces a cached window that does not reach the page (a possible hole)', () => {
    const cached = loaded(range('c', 10, 20));
    const next = reconcileNewest(cached, range('c', 500, 549), true);
    expect(seqs(next)[0]).toBe(500);
    expect(next.messages).toHaveLength(50);
    expect(next.hasMoreBefore).toBe(true);
  });

  it('drops cached messages the server no longer has when the page is the whole history', () => {
    const cached = loaded(range('c', 1, 5));
    const next = reconcileNewest(cached, range('c', 3, 5), false);
    expect(seqs(next)).toEqual([3, 4, 5]);
    expect(next.hasMoreBefore).toBe(false);
  });

  it('keeps messages that arrived live while the page was on its way', () => {
    const w = loaded(range('c', 1, 12));
    const next = reconcileNewest(w, range('c', 1, 10), false);
    expect(seqs(next)).toEqual(range('c', 1, 12).map((m) => m.seq));
  });

  it('empties the window of a conversation without messages', () => {
    const next = reconcileNewest(loaded(range('c', 1, 2)), [], false);
    expect(next).toMatchObject({ messages: [], loaded: true, hasMoreBefore: false });
  });

  it('keeps the newer version when the cache has an edit the page predates', () => {
    const edited = buildMessage({ conversationId: 'c', seq: 5, version: 4 });
    const next = reconcileNewest(loaded([...range('c', 1, 4), edited]), range('c', 1, 5), false);
    expect(next.messages[4]?.version).toBe(4);
  });
});

describe('prependOlder', () => {
  it('adds an older page before the window and stops at the first message', () => {
    const w = loaded(range('c', 51, 100));
    const next = prependOlder(w, range('c', 1, 50), true);
    expect(seqs(next)[0]).toBe(1);
    expect(next.hasMoreBefore).toBe(false);
    expect(prependOlder(w, range('c', 21, 50), true).hasMoreBefore).toBe(true);
  });
});
