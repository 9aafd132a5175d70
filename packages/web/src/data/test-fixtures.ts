import type { Conversation, Message } from '@zhixin/sdk';

/** Shared test factories for the data layer (imported by *.test.ts only). */
export const ME = 'u_me';
export const PEER = 'u_peer';

export function buildMessage(overrides: Partial<Message> & Pick<Message, 'conversationId' | 'seq'>): Message {
  return {
    id: `m_${overrides.conversationId}_${overrides.seq}`,
    clientId: `client_${overrides.conversationId}_${overrides.seq}`,
    senderId: PEER,
    content: { kind: 'text', text: `message ${overrides.seq}` },
    mentions: [],
    replyTo: null,
    forwardedFrom: null,
    reactions: [],
    createdAt: 1_700_000_000_000 + overrides.seq * 1000,
    editedAt: null,
    recalledAt: null,
    updatedAt: 1_700_000_000_000 + overrides.seq * 1000,
    version: 1,
    ...overrides,
  };
}

export function buildConversation(overrides: Partial<Conversation> & Pick<Conversation, 'id'>): Conversation {
  return {
    kind: 'direct',
    title: '',
    ownerId: null,
    peerId: PEER,
    memberCount: 2,
    lastSeq: 0,
    lastMessage: null,
    unreadCount: 0,
    mentionedMe: false,
    me: { conversationId: overrides.id, readSeq: 0, pinned: false, muted: false, hidden: false, draft: null },
    role: 'member',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

/** Messages `from..to` of a conversation. */
export function range(conversationId: string, from: number, to: number, sender = PEER): Message[] {
  const out: Message[] = [];
  for (let seq = from; seq <= to; seq++) out.push(buildMessage({ conversationId, seq, senderId: sender }));
  return out;
}
