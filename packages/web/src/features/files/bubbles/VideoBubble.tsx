import { PlayCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { VideoMessageContent } from './kinds.ts';
import { formatDuration } from '../format.ts';
import { openViewer } from '../viewer/viewer-store.ts';
import { bubbleSize } from './ImageBubble.tsx';
import { useInView } from './useInView.ts';
import { useMediaUrl } from './useMediaUrl.ts';
import { ExpiredCard } from './ExpiredCard.tsx';

interface Props {
  content: VideoMessageContent;
  conversationId: string;
}

/** A video message: its poster frame (when the server made one) with the duration; click plays it. */
export function VideoBubble({ content, conversationId }: Props) {
  const { t } = useTranslation('files');
  const [ref, seen] = useInView<HTMLButtonElement>();
  const poster = useMediaUrl(content.fileId, conversationId, ['thumbnail'], seen);
  if (poster.status === 'expired') return <ExpiredCard label={t('kind.video')} />;
  return (
    <button
      ref={ref}
      type="button"
      className="zx-video-bubble"
      data-testid="video-bubble"
      style={bubbleSize(content.width, content.height)}
      aria-label={t('kind.video')}
      onClick={() => openViewer({ kind: 'video', conversationId, fileId: content.fileId })}
    >
      {poster.status === 'ready' && <img src={poster.url} alt="" draggable={false} />}
      <PlayCircleFilled className="zx-video-play" />
      <span className="zx-video-duration">{formatDuration(content.durationMs)}</span>
    </button>
  );
}
