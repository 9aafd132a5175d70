import type { Conversation } from '@zhixin/sdk';
import { SwipeAction } from 'antd-mobile';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { ConversationRow } from './ConversationRow.tsx';
import { rowActionLabels, useRowActions } from './useRowActions.ts';

interface Props {
  conversation: Conversation;
  active: boolean;
  onOpen: (id: string) => void;
}

/** A list row with swipe actions: mark read on the left; pin, mute and delete on the right. */
export const MobileRow = memo(function MobileRow({ conversation: c, active, onOpen }: Props) {
  const { t } = useTranslation('chats');
  const act = useRowActions();
  const labels = rowActionLabels(c, t);
  return (
    <SwipeAction
      leftActions={
        c.unreadCount > 0
          ? [{ key: 'markRead', text: labels.markRead, color: 'primary', onClick: () => act(c, 'markRead') }]
          : []
      }
      rightActions={[
        { key: 'pin', text: labels.pin, color: 'light', onClick: () => act(c, 'pin') },
        { key: 'mute', text: labels.mute, color: 'warning', onClick: () => act(c, 'mute') },
        { key: 'delete', text: labels.delete, color: 'danger', onClick: () => act(c, 'delete') },
      ]}
    >
      <ConversationRow conversation={c} active={active} onOpen={onOpen} />
    </SwipeAction>
  );
});
