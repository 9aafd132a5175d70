import type { Conversation } from '@zhixin/sdk';

/**
 * Whether I may post in a conversation, as far as its kind says: an announcement channel takes
 * posts from its owner (the operations account) only; its subscribers read. (Group mutes and
 * dissolution are the group gate's: contacts/groups/GroupChatBar.tsx.)
 */
export function canPostIn(c: Pick<Conversation, 'kind' | 'role'>): boolean {
  return c.kind !== 'channel' || c.role === 'owner';
}
