import { HeartFilled, PictureOutlined } from '@ant-design/icons';
import type { MomentNotification } from '@zhixin/protocol';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useDisplayName } from '../../../data/people.ts';
import { formatTime, timeLanguage } from '../../chats/lib/time.ts';
import { useMediaSrc } from '../media.ts';

function PostPreview({ n }: { n: MomentNotification }) {
  const src = useMediaSrc(n.postMediaFileId ? { fileId: n.postMediaFileId, variant: 'thumbnail' } : null);
  if (n.postMediaFileId)
    return (
      <span className="zx-mo-int-preview">
        {src.status === 'ready' ? <img src={src.src} alt="" /> : <PictureOutlined />}
      </span>
    );
  return <span className="zx-mo-int-preview zx-mo-int-preview-text">{n.postExcerpt}</span>;
}

/** One interaction: who, what (liked, commented, replied, mentioned; or my post removed), when, which post. */
export function InteractionRow({
  n,
  unread,
  now,
  onOpen,
}: {
  n: MomentNotification;
  unread: boolean;
  now: number;
  onOpen: () => void;
}) {
  const { t, i18n } = useTranslation('moments');
  const name = useDisplayName(n.actorId) || n.actor?.nickname || '';
  return (
    <li
      className={`zx-mo-int${unread ? ' zx-mo-int-unread' : ''}`}
      data-testid="interaction"
      data-kind={n.kind}
      onClick={onOpen}
    >
      {n.actorId ? <UserAvatar userId={n.actorId} size={40} /> : <span className="zx-mo-int-system">!</span>}
      <span className="zx-mo-int-main">
        <span className="zx-mo-int-name">{n.actorId ? name : t('interactions.system')}</span>
        <span className="zx-mo-int-what">
          {n.kind === 'like' && (
            <HeartFilled className="zx-mo-int-heart" aria-label={t('interactions.like')} />
          )}
          {n.kind === 'comment' && n.text}
          {n.kind === 'reply' && t('interactions.reply', { text: n.text ?? '' })}
          {n.kind === 'mention' && t('interactions.mention')}
          {n.kind === 'removed' && t('interactions.removed')}
        </span>
        <span className="zx-mo-int-time">{formatTime(n.createdAt, now, timeLanguage(i18n.language))}</span>
      </span>
      <PostPreview n={n} />
    </li>
  );
}
