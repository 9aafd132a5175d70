import { ZhixinError, type Message } from '@zhixin/sdk';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { recallMessage, toggleReaction } from '../../../data/message-ops.ts';
import { replyTo, startEditing } from '../composer/composer-store.ts';
import { useFeedback } from '../hooks.ts';
import type { MessageAction } from './actions.ts';

/** The dialogs a message action may open. */
export interface ActionDialogs {
  forwarding: Message | null;
  readersOf: Message | null;
  reactingTo: Message | null;
}

/** Carry out message actions; returns the open dialogs and the handlers for the list. */
export function useMessageActions(myId: string) {
  const { t } = useTranslation('chats');
  const feedback = useFeedback();
  const [dialogs, setDialogs] = useState<ActionDialogs>({
    forwarding: null,
    readersOf: null,
    reactingTo: null,
  });

  const onReact = useCallback(
    (emoji: string, m: Message) => {
      setDialogs((d) => ({ ...d, reactingTo: null }));
      toggleReaction(m, emoji, myId).catch(() => feedback.error(t('actionFailed')));
    },
    [myId, feedback, t],
  );

  const onAction = useCallback(
    (action: MessageAction, m: Message) => {
      switch (action) {
        case 'copy':
          if (m.content?.kind === 'text')
            navigator.clipboard.writeText(m.content.text).then(
              () => feedback.success(t('copied')),
              () => feedback.error(t('actionFailed')),
            );
          return;
        case 'reply':
          return replyTo(m);
        case 'edit':
          return startEditing(m);
        case 'forward':
          return setDialogs((d) => ({ ...d, forwarding: m }));
        case 'readers':
          return setDialogs((d) => ({ ...d, readersOf: m }));
        case 'react':
          return setDialogs((d) => ({ ...d, reactingTo: m }));
        case 'recall':
          recallMessage(m).catch((err: unknown) =>
            feedback.error(
              err instanceof ZhixinError && err.code === 'RECALL_WINDOW_PASSED'
                ? t('recallTooLate')
                : t('actionFailed'),
            ),
          );
          return;
      }
    },
    [feedback, t],
  );

  const close = useCallback(() => setDialogs({ forwarding: null, readersOf: null, reactingTo: null }), []);
  return { dialogs, onAction, onReact, close };
}
