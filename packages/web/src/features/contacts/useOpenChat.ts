import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { client } from '../../app/client.ts';
import { usePeople } from '../../data/people.ts';

/**
 * Opens (creating if needed) the direct chat with a user and shows it. With my own id it opens
 * the self chat, shown as the file transfer assistant.
 */
export function useOpenChat(): (userId: string) => Promise<void> {
  const navigate = useNavigate();
  return useCallback(
    async (userId: string) => {
      // The operations account takes no openDirect (it is a system account): it names my chat with it.
      const people = usePeople.getState();
      const official = (people.profiles[userId] ?? people.contacts[userId]?.profile)?.official === true;
      const id = official
        ? (await client.opsAccount.info()).conversationId
        : (await client.conversations.openDirect(userId)).id;
      navigate(`/chats/${encodeURIComponent(id)}`);
    },
    [navigate],
  );
}
