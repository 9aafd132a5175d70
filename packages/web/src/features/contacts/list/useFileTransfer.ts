import { useCallback, useState } from 'react';
import { useSession } from '../../../app/session.ts';
import { useNotice } from '../controls.tsx';
import { useContactsErrorText } from '../useContactsErrorText.ts';
import { useOpenChat } from '../useOpenChat.ts';

/** Opens the file transfer assistant: the direct chat with myself, shared by all my devices. */
export function useFileTransfer(): { open: () => void; opening: boolean } {
  const me = useSession((s) => s.me);
  const openChat = useOpenChat();
  const notice = useNotice();
  const errorText = useContactsErrorText();
  const [opening, setOpening] = useState(false);
  const open = useCallback(() => {
    if (!me || opening) return;
    setOpening(true);
    openChat(me.id)
      .catch((err: unknown) => notice(errorText(err), 'error'))
      .finally(() => setOpening(false));
  }, [me, opening, openChat, notice, errorText]);
  return { open, opening };
}
