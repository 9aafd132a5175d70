import type { Message, MessageContent } from '@zhixin/sdk';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../../../data/people.ts';
import { MediaBody } from '../../files/bubbles/MediaBody.tsx';
import { segmentText } from '../lib/mentions.ts';

/** Names to highlight after '@': the nicknames of the mentioned users, and "everyone". */
function useMentionNames(mentions: Message['mentions']): string[] {
  const { t } = useTranslation('chats');
  const nicknames = usePeople((s) =>
    mentions
      .filter((m) => m !== 'all')
      .map((id) => s.profiles[id]?.nickname ?? '')
      .join('\u0000'),
  );
  const names = nicknames ? nicknames.split('\u0000') : [];
  if (mentions.includes('all')) names.push(t('mention.all'), '所有人', 'all');
  return names;
}

function TextBody({ text, mentions }: { text: string; mentions: Message['mentions'] }) {
  const names = useMentionNames(mentions);
  return (
    <div className="zx-msg-text" data-testid="message-text">
      {segmentText(text, names).map((s, i) => {
        if (s.kind === 'mention')
          return (
            <span key={i} className="zx-mention">
              {s.text}
            </span>
          );
        if (s.kind === 'link')
          return (
            <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">
              {s.text}
            </a>
          );
        return <Fragment key={i}>{s.text}</Fragment>;
      })}
    </div>
  );
}

/** The content of a bubble. */
export function MessageBody({
  content,
  mentions,
  conversationId,
  seq,
  fileExpired,
}: {
  content: MessageContent;
  mentions: Message['mentions'];
  conversationId: string;
  /** Null while the message is still being sent. */
  seq: number | null;
  fileExpired: boolean;
}) {
  if (content.kind === 'text') return <TextBody text={content.text} mentions={mentions} />;
  return <MediaBody content={content} conversationId={conversationId} seq={seq} fileExpired={fileExpired} />;
}
