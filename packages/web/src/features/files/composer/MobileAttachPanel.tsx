import type { Conversation } from '@zhixin/sdk';
import { FolderOpenOutlined, PictureOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useFilePickers } from './AttachTools.tsx';

interface Props {
  conversation: Conversation;
  myId: string;
  onPicked: () => void;
}

/** The mobile composer's "+" panel: photos and videos, or any file. */
export function MobileAttachPanel({ conversation, myId, onPicked }: Props) {
  const { t } = useTranslation('files');
  const pickers = useFilePickers(conversation, myId, onPicked);
  const items = [
    { key: 'media', icon: <PictureOutlined />, label: t('attach.album'), pick: pickers.pickMedia },
    { key: 'file', icon: <FolderOpenOutlined />, label: t('attach.file'), pick: pickers.pickFile },
  ];
  return (
    <div className="zx-attach-panel" data-testid="attach-panel">
      {pickers.inputs}
      {items.map((item) => (
        <button
          key={item.key}
          type="button"
          className="zx-attach-item"
          data-testid={`attach-panel-${item.key}`}
          onClick={item.pick}
        >
          <span className="zx-attach-icon">{item.icon}</span>
          <span>{item.label}</span>
        </button>
      ))}
    </div>
  );
}
