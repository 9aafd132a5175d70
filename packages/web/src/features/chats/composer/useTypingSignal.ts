import { useCallback, useEffect, useRef } from 'react';
import { sendTyping } from '../../../data/conversation-ops.ts';

/** "Typing" is repeated at most this often while the user keeps typing. */
const REPEAT_MS = 3000;

/** Tell the others I am typing (throttled), and that I stopped (sent, cleared, or left). */
export function useTypingSignal(conversationId: string, enabled: boolean) {
  const lastSent = useRef(0);
  const stop = useCallback(() => {
    if (lastSent.current === 0) return;
    lastSent.current = 0;
    sendTyping(conversationId, false);
  }, [conversationId]);
  const typed = useCallback(
    (text: string) => {
      if (!enabled) return;
      if (text.trim() === '') return stop();
      const now = Date.now();
      if (now - lastSent.current < REPEAT_MS) return;
      lastSent.current = now;
      sendTyping(conversationId, true);
    },
    [conversationId, enabled, stop],
  );
  useEffect(() => stop, [stop]);
  return { typed, stop };
}
