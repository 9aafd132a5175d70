import type { Conversation, Member } from '@zhixin/sdk';
import { useCallback, useEffect, useState } from 'react';
import { client } from '../../../app/client.ts';
import { putConversations, useConversation } from '../../../data/conversations.ts';
import { ensureProfiles } from '../../../data/people.ts';

const ROLE_ORDER = { owner: 0, admin: 1, member: 2 } as const;

/** Members in the order a group shows them: owner, admins, then by joining time. */
export function orderMembers(members: readonly Member[]): Member[] {
  return [...members].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.joinedAt - b.joinedAt);
}

export interface GroupState {
  conversation: Conversation | undefined;
  members: Member[] | null;
  /** The load failed (e.g. I am no longer a member); the failure itself. */
  error: unknown;
  reload: () => void;
}

/**
 * A group and its members, kept fresh: reloaded when the server says its members or title
 * changed. The conversation itself comes from the conversations store, fetched when missing.
 */
export function useGroup(conversationId: string): GroupState {
  const conversation = useConversation(conversationId);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([client.conversations.members(conversationId), client.conversations.get(conversationId)])
      .then(([list, fresh]) => {
        if (!live) return;
        putConversations([fresh]);
        ensureProfiles(list.map((m) => m.userId));
        setMembers(orderMembers(list));
        setError(null);
      })
      .catch((err: unknown) => live && setError(err));
    return () => {
      live = false;
    };
  }, [conversationId, version]);

  useEffect(
    () =>
      client.on('conversation.changed', (e) => {
        if (e.conversationId === conversationId) reload();
      }),
    [conversationId, reload],
  );

  return { conversation, members, error, reload };
}
