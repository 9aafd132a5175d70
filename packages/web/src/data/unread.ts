import { totalUnread } from './conversation-math.ts';
import { useConversations } from './conversations.ts';

/** The number on the chats tab: unread messages over all conversations that are not muted. */
export function useTotalUnread(): number {
  return useConversations((s) => totalUnread(s.byId));
}
