import type { Conversation } from '@zhixin/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChatState } from '../../../data/chat-state.ts';
import { useDisplayName } from '../../../data/people.ts';

/** Who is typing now (entries expire on their own if the "stopped" never comes). */
function useTypers(conversationId: string, myId: string): string[] {
  const typing = useChatState((s) => s.typing[conversationId]);
  const [now, setNow] = useState(() => Date.now());
  const ids = Object.entries(typing ?? {})
    .filter(([id, until]) => id !== myId && until > now)
    .map(([id]) => id);
  const next = Math.min(...Object.values(typing ?? {}).filter((until) => until > now));
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => setNow(Date.now()), next - Date.now() + 50);
    return () => clearTimeout(timer);
  }, [next]);
  useEffect(() => setNow(Date.now()), [typing]);
  return ids;
}

/** "对方正在输入…" in a direct chat, "xx正在输入…" in a group. */
export function TypingIndicator({ conversation, myId }: { conversation: Conversation; myId: string }) {
  const { t } = useTranslation('chats');
  const typers = useTypers(conversation.id, myId);
  const first = useDisplayName(typers[0]);
  if (typers.length === 0) return null;
  const text =
    conversation.kind === 'direct'
      ? t('typing.direct')
      : typers.length === 1
        ? t('typing.one', { name: first })
        : t('typing.many', { count: typers.length });
  return (
    <span className="zx-typing" data-testid="typing-indicator">
      {text}
    </span>
  );
}
