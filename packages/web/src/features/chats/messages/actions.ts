import type { Conversation, Message } from '@zhixin/sdk';
import { canPostIn } from '../lib/channel.ts';

export type MessageAction = 'copy' | 'reply' | 'forward' | 'recall' | 'edit' | 'react' | 'readers';

/**
 * The actions a message offers me, in menu order. Where I may not post (a channel I subscribe
 * to) only copy and forward remain; channels keep no read receipts, so never "readers".
 */
export function actionsFor(m: Message, c: Conversation, myId: string): MessageAction[] {
  if (m.recalledAt !== null || m.content === null) return [];
  const mine = m.senderId === myId;
  const text = m.content.kind === 'text';
  const list: MessageAction[] = [];
  if (text) list.push('copy');
  if (!canPostIn(c)) return [...list, 'forward'];
  list.push('reply', 'forward');
  if (mine && text) list.push('edit');
  if (mine) list.push('recall');
  list.push('react');
  if (mine && c.kind === 'group') list.push('readers');
  return list;
}
