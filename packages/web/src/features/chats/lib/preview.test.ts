import { describe, expect, it } from 'vitest';
import { buildConversation, buildMessage, ME } from '../../../data/test-fixtures.ts';
import { previewOf } from './preview.ts';

const names: Record<string, string> = { u_peer: '小李', u_me: '我' };
const ctx = {
  myId: ME,
  nameOf: (id: string) => names[id] ?? id,
  t: (key: string, options?: Record<string, unknown>) =>
    options?.name ? `${key}(${String(options.name)})` : key,
};

describe('previewOf', () => {
  it('shows my draft first, marked', () => {
    const c = buildConversation({ id: 'c', lastMessage: buildMessage({ conversationId: 'c', seq: 1 }) });
    c.me.draft = { text: '  还没写完\n第二行 ', updatedAt: 1 };
    expect(previewOf(c, ctx)).toEqual({ marker: 'draft', text: '还没写完 第二行' });
  });

  it('puts the sender before the text in groups, not in direct chats', () => {
    const m = buildMessage({ conversationId: 'c', seq: 1, content: { kind: 'text', text: '开会' } });
    expect(previewOf(buildConversation({ id: 'c', kind: 'group', lastMessage: m }), ctx).text).toBe(
      '小李: 开会',
    );
    expect(previewOf(buildConversation({ id: 'c', lastMessage: m }), ctx).text).toBe('开会');
  });

  it('marks an unread mention of me', () => {
    const m = buildMessage({ conversationId: 'c', seq: 1, mentions: [ME] });
    const c = buildConversation({
      id: 'c',
      kind: 'group',
      lastMessage: m,
      mentionedMe: true,
      unreadCount: 1,
    });
    expect(previewOf(c, ctx).marker).toBe('mention');
    expect(previewOf({ ...c, unreadCount: 0 }, ctx).marker).toBeNull();
  });

  it('says who recalled the last message', () => {
    const recalled = { content: null, recalledAt: 5 };
    const theirs = buildMessage({ conversationId: 'c', seq: 1, ...recalled });
    const mine = buildMessage({ conversationId: 'c', seq: 2, senderId: ME, ...recalled });
    expect(previewOf(buildConversation({ id: 'c', kind: 'group', lastMessage: theirs }), ctx).text).toBe(
      'recalledBy(小李)',
    );
    expect(previewOf(buildConversation({ id: 'c', lastMessage: mine }), ctx).text).toBe('recalledByMe');
  });

  it('says a last message failed its integrity check, without its (untrusted) sender', () => {
    const m = buildMessage({ conversationId: 'c', seq: 1, content: null, integrity: 'tampered' });
    expect(previewOf(buildConversation({ id: 'c', kind: 'group', lastMessage: m }), ctx).text).toBe(
      'tampered',
    );
    const recalled = { ...m, recalledAt: 5 };
    expect(previewOf(buildConversation({ id: 'c', lastMessage: recalled }), ctx).text).toBe('tampered');
  });

  it('names the kind of non-text messages', () => {
    const file = buildMessage({
      conversationId: 'c',
      seq: 1,
      content: { kind: 'file', fileId: 'f', name: '报告.pdf', mime: 'application/pdf', size: 10 },
    });
    expect(previewOf(buildConversation({ id: 'c', lastMessage: file }), ctx).text).toBe(
      'preview.file 报告.pdf',
    );
  });
});
