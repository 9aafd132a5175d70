import { useEffect } from 'react';
import { client } from '../../../app/client.ts';
import { setOnline, useChatState } from '../../../data/chat-state.ts';

/**
 * A user's online state. Asking over the WebSocket also subscribes this connection to their
 * presence changes, so it is asked again after every reconnect.
 */
export function usePeerOnline(userId: string | null): boolean | undefined {
  const online = useChatState((s) => (userId ? s.online[userId] : undefined));
  useEffect(() => {
    if (!userId) return;
    const ask = () =>
      client.users
        .presence([userId])
        .then((list) => list.forEach((p) => setOnline(p.userId, p.online)))
        .catch(() => undefined);
    void ask();
    return client.on('connection.state', ({ state }) => {
      if (state === 'connected') void ask();
    });
  }, [userId]);
  return online;
}
