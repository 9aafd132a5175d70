import { useTranslation } from 'react-i18next';
import { ExpiredCard } from './ExpiredCard.tsx';
import { FileBubble } from './FileBubble.tsx';
import { ImageBubble } from './ImageBubble.tsx';
import type { MediaContent } from './kinds.ts';
import { VideoBubble } from './VideoBubble.tsx';
import { VoiceBubble } from './VoiceBubble.tsx';

interface Props {
  content: MediaContent;
  conversationId: string;
  /** Null while the message is still being sent. */
  seq: number | null;
  /** The message says its file was removed (`message.fileExpired`). */
  fileExpired: boolean;
}

/** The body of a message that carries a file: image, video, file or voice, or "file expired". */
export function MediaBody({ content, conversationId, seq, fileExpired }: Props) {
  const { t } = useTranslation('files');
  if (fileExpired)
    return <ExpiredCard label={content.kind === 'file' ? content.name : t(`kind.${content.kind}`)} />;
  switch (content.kind) {
    case 'image':
      return <ImageBubble content={content} conversationId={conversationId} seq={seq} />;
    case 'video':
      return <VideoBubble content={content} conversationId={conversationId} />;
    case 'voice':
      return <VoiceBubble content={content} conversationId={conversationId} />;
    case 'file':
      return <FileBubble content={content} conversationId={conversationId} />;
  }
}
