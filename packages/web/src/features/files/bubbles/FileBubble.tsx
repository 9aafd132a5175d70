import { DownloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { formatBytes } from '../format.ts';
import { isExpiredError } from '../media-cache.ts';
import { downloadFile } from './download.ts';
import { ExpiredCard } from './ExpiredCard.tsx';
import { FileIcon } from './FileIcon.tsx';
import type { FileMessageContent } from './kinds.ts';

interface Props {
  content: FileMessageContent;
  conversationId: string;
}

/** A file message: icon by type, name and size; click downloads it with progress. */
export function FileBubble({ content, conversationId }: Props) {
  const { t } = useTranslation('files');
  const feedback = useFeedback();
  const [progress, setProgress] = useState<number | null>(null);
  const [expired, setExpired] = useState(false);
  if (expired) return <ExpiredCard label={content.name} />;
  const start = () => {
    if (progress !== null) return;
    setProgress(0);
    downloadFile(content, conversationId, setProgress)
      .catch((err: unknown) => {
        if (isExpiredError(err)) setExpired(true);
        else feedback.error(t('downloadFailed'));
      })
      .finally(() => setProgress(null));
  };
  return (
    <button
      type="button"
      className="zx-file-bubble"
      data-testid="file-bubble"
      onClick={start}
      title={t('download')}
    >
      <FileIcon name={content.name} mime={content.mime} />
      <span className="zx-file-body">
        <span className="zx-file-name" data-testid="file-name">
          {content.name}
        </span>
        <span className="zx-file-size">{formatBytes(content.size)}</span>
        {progress !== null && (
          <span
            className="zx-upload-bar"
            role="progressbar"
            aria-valuenow={Math.round(progress * 100)}
            data-testid="download-progress"
          >
            <span className="zx-upload-bar-fill" style={{ width: `${Math.round(progress * 100)}%` }} />
          </span>
        )}
      </span>
      <DownloadOutlined className="zx-file-download" />
    </button>
  );
}
