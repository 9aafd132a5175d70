import type { Conversation } from '@zhixin/sdk';
import { Dropdown, type MenuProps } from 'antd';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConversationRow } from './ConversationRow.tsx';
import { rowActionLabels, useRowActions, type RowAction } from './useRowActions.ts';

interface Props {
  conversation: Conversation;
  active: boolean;
  onOpen: (id: string) => void;
}

/** A list row with its right-click menu: pin, mute, mark read, delete. */
export const DesktopRow = memo(function DesktopRow({ conversation, active, onOpen }: Props) {
  const { t } = useTranslation('chats');
  const act = useRowActions();
  // Items exist only while open: a closed menu leaves no stale copies of its items in the page.
  const [open, setOpen] = useState(false);
  const labels = rowActionLabels(conversation, t);
  const keys: RowAction[] = ['pin', 'mute', 'markRead', 'delete'];
  const items: MenuProps['items'] = keys
    .filter((key) => key !== 'markRead' || conversation.unreadCount > 0)
    .map((key) => ({
      key,
      danger: key === 'delete',
      label: <span data-testid={`conversation-action-${key}`}>{labels[key]}</span>,
    }));
  return (
    <Dropdown
      trigger={['contextMenu']}
      open={open}
      onOpenChange={setOpen}
      destroyOnHidden
      menu={{
        items: open ? items : [],
        onClick: ({ key }) => {
          setOpen(false);
          act(conversation, key as RowAction);
        },
      }}
    >
      <div>
        <ConversationRow conversation={conversation} active={active} onOpen={onOpen} />
      </div>
    </Dropdown>
  );
});
