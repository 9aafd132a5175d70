import type { Member } from '@zhixin/sdk';
import { create } from 'zustand';

interface ChatState {
  /** Members (with their read positions) of the conversations opened since start. */
  members: Record<string, Member[]>;
  /** Who is typing, per conversation: user id → until when (ms) the indicator shows. */
  typing: Record<string, Record<string, number>>;
  /** Online state of the users asked about (direct chat peers). */
  online: Record<string, boolean>;
  /** The conversation on screen, and whether its newest message is in view. */
  open: { conversationId: string; atBottom: boolean } | null;
}

/** Per-conversation live state that is not cached: members, typing, presence, the open chat. */
export const useChatState = create<ChatState>(() => ({ members: {}, typing: {}, online: {}, open: null }));

export function setMembers(conversationId: string, members: Member[]): void {
  useChatState.setState((s) => ({ members: { ...s.members, [conversationId]: members } }));
}

/** A member read up to a seq (read receipts); positions only move forward. */
export function advanceMemberRead(conversationId: string, userId: string, readSeq: number): void {
  useChatState.setState((s) => {
    const list = s.members[conversationId];
    if (!list) return s;
    let changed = false;
    const next = list.map((m) => {
      if (m.userId !== userId || m.readSeq >= readSeq) return m;
      changed = true;
      return { ...m, readSeq };
    });
    return changed ? { members: { ...s.members, [conversationId]: next } } : s;
  });
}

export function setTyping(conversationId: string, userId: string, until: number | null): void {
  useChatState.setState((s) => {
    const current = { ...s.typing[conversationId] };
    if (until === null) delete current[userId];
    else current[userId] = until;
    return { typing: { ...s.typing, [conversationId]: current } };
  });
}

export function setOnline(userId: string, online: boolean): void {
  useChatState.setState((s) =>
    s.online[userId] === online ? s : { online: { ...s.online, [userId]: online } },
  );
}

export function setOpenChat(open: ChatState['open']): void {
  const current = useChatState.getState().open;
  if (current?.conversationId === open?.conversationId && current?.atBottom === open?.atBottom) return;
  useChatState.setState({ open });
}

export function resetChatState(): void {
  useChatState.setState({ members: {}, typing: {}, online: {}, open: null }, true);
}
