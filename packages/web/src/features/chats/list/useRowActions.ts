import type { Conversation } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { markConversationRead, updateSettings } from '../../../data/conversation-ops.ts';
import { useFeedback } from '../hooks.ts';

export type RowAction = 'pin' | 'mute' | 'markRead' | 'delete';

/** What a list row's menu (right-click) or swipe actions do; all of it syncs to my other devices. */
export function useRowActions(): (c: Conversation, action: RowAction) => void {
  const { t } = useTranslation('chats');
  const feedback = useFeedback();
  return useCallback(
    (c: Conversation, action: RowAction) => {
      const run = (): Promise<void> => {
        switch (action) {
          case 'pin':
            return updateSettings(c.id, { pinned: !c.me.pinned });
          case 'mute':
            return updateSettings(c.id, { muted: !c.me.muted });
          case 'markRead':
            return markConversationRead(c.id);
          case 'delete':
            return updateSettings(c.id, { hidden: true });
        }
      };
      run().catch(() => feedback.error(t('actionFailed')));
    },
    [feedback, t],
  );
}

/** The labels of a row's actions for this conversation's current state. */
export function rowActionLabels(c: Conversation, t: (key: string) => string): Record<RowAction, string> {
  return {
    pin: c.me.pinned ? t('list.unpin') : t('list.pin'),
    mute: c.me.muted ? t('list.unmute') : t('list.mute'),
    markRead: t('list.markRead'),
    delete: t('list.delete'),
  };
}
