import { ArrowUpOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { useMomentsLive } from '../moments-live.ts';
import { INTERACTIONS_PATH } from './paths.ts';

/** "3 条新动态": posts by others since I last looked; click to load them. */
export function NewPostsBanner({ onShow }: { onShow: () => void }) {
  const { t } = useTranslation('moments');
  const count = useMomentsLive((s) => s.newPosts);
  const author = useMomentsLive((s) => s.latestAuthor);
  if (count === 0) return null;
  return (
    <button type="button" className="zx-mo-new-posts" data-testid="new-posts" onClick={onShow}>
      {author && <UserAvatar userId={author.id} size={22} shape="circle" />}
      <span>{t('newPosts', { count })}</span>
      <ArrowUpOutlined />
    </button>
  );
}

/** "2 条新消息": unread interactions, opening the list. */
export function InteractionsPill() {
  const { t } = useTranslation('moments');
  const navigate = useNavigate();
  const unread = useMomentsLive((s) => s.unread);
  const latest = useMomentsLive((s) => s.interactions.find((n) => !n.read && n.actorId));
  if (unread === 0) return null;
  return (
    <button
      type="button"
      className="zx-mo-pill"
      data-testid="interactions-pill"
      onClick={() => void navigate(INTERACTIONS_PATH)}
    >
      {latest?.actorId && <UserAvatar userId={latest.actorId} size={26} />}
      <span>{t('interactions.unread', { count: unread })}</span>
    </button>
  );
}
