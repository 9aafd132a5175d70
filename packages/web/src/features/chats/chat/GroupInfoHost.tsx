import { Drawer } from 'antd';
import { Popup } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { GroupInfoPanel } from '../../contacts/GroupInfoPanel.tsx';

/** The contacts feature's group info, in a drawer (desktop) or a full-screen popup (mobile). */
export function GroupInfoHost({
  conversationId,
  open,
  layout,
  onClose,
}: {
  conversationId: string;
  open: boolean;
  layout: 'desktop' | 'mobile';
  onClose: () => void;
}) {
  const { t } = useTranslation('chats');
  if (layout === 'desktop')
    return (
      <Drawer open={open} onClose={onClose} title={t('header.info')} size={360} destroyOnHidden>
        {open && <GroupInfoPanel conversationId={conversationId} onClose={onClose} />}
      </Drawer>
    );
  return (
    <Popup visible={open} onClose={onClose} position="right" destroyOnClose bodyClassName="zx-sheet-full">
      {open && <GroupInfoPanel conversationId={conversationId} onClose={onClose} />}
    </Popup>
  );
}
