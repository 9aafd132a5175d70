import type { OpResponse } from '@zhixin/protocol';
import type { Message } from '../managers/messages-manager.ts';

export type Conversation = OpResponse<'conversations.get'>;

/** A message with sensible defaults. */
export function buildMessage(overrides: Partial<Message> & Pick<Message, 'conversationId' | 'seq'>): Message {
  return {
    id: `m_${overrides.conversationId}_${overrides.seq}`,
    clientId: `client_${overrides.conversationId}_${overrides.seq}`,
    senderId: 'u_other',
    content: { kind: 'text', text: `message ${overrides.seq}` },
    mentions: [],
    replyTo: null,
    forwardedFrom: null,
    reactions: [],
    createdAt: 1_700_000_000_000 + overrides.seq,
    editedAt: null,
    recalledAt: null,
    updatedAt: 1_700_000_000_000 + overrides.seq,
    version: 1,
    ...overrides,
  };
}

/** A conversation with sensible defaults. */
export function buildConversation(overrides: Partial<Conversation> & Pick<Conversation, 'id'>): Conversation {
  return {
    kind: 'group',
    title: `group ${overrides.id}`,
    ownerId: 'u_me',
    peerId: null,
    memberCount: 2,
    lastSeq: 0,
    lastMessage: null,
    unreadCount: 0,
    mentionedMe: false,
    me: { conversationId: overrides.id, readSeq: 0, pinned: false, muted: false, hidden: false, draft: null },
    role: 'owner',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** Wait until `check` returns something truthy (or throw after `timeoutMs`). */
export async function waitFor<T>(
  check: () => T | undefined | false | null,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Let pending promise callbacks run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
