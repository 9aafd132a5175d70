import { useTranslation } from 'react-i18next';
import type { ImageMessageContent } from './kinds.ts';
import { openViewer } from '../viewer/viewer-store.ts';
import { ExpiredCard } from './ExpiredCard.tsx';
import { useInView } from './useInView.ts';
import { useMediaUrl } from './useMediaUrl.ts';

const MAX_W = 220;
const MAX_H = 280;

/** The on-screen size of an image bubble: its aspect ratio inside 220 × 280 px. */
export function bubbleSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, MAX_W / width, MAX_H / height);
  return { width: Math.max(40, Math.round(width * scale)), height: Math.max(40, Math.round(height * scale)) };
}

interface Props {
  content: ImageMessageContent;
  conversationId: string;
  seq: number | null;
}

/** An image message: its thumbnail (fetched once near the viewport); click opens the viewer. */
export function ImageBubble({ content, conversationId, seq }: Props) {
  const { t } = useTranslation('files');
  const [ref, seen] = useInView<HTMLButtonElement>();
  const media = useMediaUrl(content.fileId, conversationId, ['thumbnail', 'original'], seen);
  if (media.status === 'expired') return <ExpiredCard label={t('kind.image')} />;
  const size = bubbleSize(content.width, content.height);
  return (
    <button
      ref={ref}
      type="button"
      className="zx-image-bubble"
      data-testid="image-bubble"
      data-state={media.status}
      style={size}
      aria-label={t('kind.image')}
      onClick={() => seq !== null && openViewer({ kind: 'image', conversationId, seq })}
    >
      {media.status === 'ready' && <img src={media.url} alt={t('kind.image')} draggable={false} />}
      {media.status === 'error' && <span className="zx-media-error">{t('loadFailed')}</span>}
    </button>
  );
}
