import type { Message, MessageContent } from '@zhixin/sdk';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { imageSrc } from '../../../components/UserAvatar.tsx';
import { usePeople } from '../../../data/people.ts';
import { segmentText } from '../lib/mentions.ts';

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 ** 2) return `${(size / 1024).toFixed(1)} KB`;
  if (size < 1024 ** 3) return `${(size / 1024 ** 2).toFixed(1)} MB`;
  return `${(size / 1024 ** 3).toFixed(1)} GB`;
}

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

/** A card for content other than text, from its metadata (files are served from issue 5 on). */
function Card({ content }: { content: Exclude<MessageContent, { kind: 'text' }> }) {
  const { t } = useTranslation('chats');
  switch (content.kind) {
    case 'image': {
      const id = content.thumbnailFileId ?? content.fileId;
      const width = Math.min(220, content.width);
      return (
        <img
          className="zx-msg-image"
          src={imageSrc(id)}
          alt={t('card.image')}
          style={{ width, aspectRatio: `${content.width} / ${content.height}` }}
        />
      );
    }
    case 'file':
      return (
        <div className="zx-msg-card">
          <span className="zx-msg-card-icon">📄</span>
          <span className="zx-msg-card-body">
            <span className="zx-msg-card-title">{content.name}</span>
            <span className="zx-msg-card-sub">
              {t('card.file')} · {formatBytes(content.size)}
            </span>
          </span>
        </div>
      );
    case 'voice':
      return (
        <div className="zx-msg-card">
          <span className="zx-msg-card-icon">🎙️</span>
          <span>{t('card.voice', { seconds: Math.round(content.durationMs / 1000) })}</span>
        </div>
      );
    case 'video':
      return (
        <div className="zx-msg-card">
          <span className="zx-msg-card-icon">🎬</span>
          <span className="zx-msg-card-body">
            <span>{t('card.video', { seconds: Math.round(content.durationMs / 1000) })}</span>
            <span className="zx-msg-card-sub">{formatBytes(content.size)}</span>
          </span>
        </div>
      );
  }
}

/** The content of a bubble. */
export function MessageBody({
  content,
  mentions,
}: {
  content: MessageContent;
  mentions: Message['mentions'];
}) {
  if (content.kind === 'text') return <TextBody text={content.text} mentions={mentions} />;
  return <Card content={content} />;
}
