import { useCallback } from 'react';
import { useNavigate } from 'react-router';
import { client } from '../../app/client.ts';

/**
 * Opens (creating if needed) the direct chat with a user and shows it. With my own id it opens
 * the self chat, shown as the file transfer assistant.
 */
export function useOpenChat(): (userId: string) => Promise<void> {
  const navigate = useNavigate();
  return useCallback(
    async (userId: string) => {
      const chat = await client.conversations.openDirect(userId);
      navigate(`/chats/${encodeURIComponent(chat.id)}`);
    },
    [navigate],
  );
}
