import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Empty, Spin } from 'antd';
import { NavBar } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { useMomentsErrorText } from '../errors.ts';
import { MOMENTS_PATH, postPath } from '../feed/paths.ts';
import { useNow } from '../feed/useNow.ts';
import {
  loadMoreInteractions,
  markInteractionsRead,
  refreshInteractions,
  useMomentsLive,
  useMomentsLiveUpdates,
} from '../moments-live.ts';
import { InteractionRow } from './InteractionRow.tsx';
import './interactions.css';

/** "新消息": likes, comments, replies and mentions concerning me; opening it marks them read. */
export function InteractionsPage() {
  const { t } = useTranslation('moments');
  const mobile = useLayoutKind() === 'mobile';
  const navigate = useNavigate();
  const feedback = useFeedback();
  const errorText = useMomentsErrorText();
  const now = useNow();
  useMomentsLiveUpdates();
  const items = useMomentsLive((s) => s.interactions);
  const loaded = useMomentsLive((s) => s.interactionsLoaded);
  const more = useMomentsLive((s) => s.nextCursor !== null);
  // What was unread when I came, highlighted for this visit though it is now marked read.
  const [unreadHere, setUnreadHere] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    refreshInteractions()
      .then(() => {
        const unread = useMomentsLive.getState().interactions.filter((n) => !n.read);
        setUnreadHere(new Set(unread.map((n) => n.id)));
        if (unread.length) return markInteractionsRead();
      })
      .catch((err: unknown) => feedback.error(errorText(err)));
  }, [feedback, errorText]);

  const back = () => void navigate(MOMENTS_PATH);
  const list = !loaded ? (
    <div className="zx-mo-state">
      <Spin />
    </div>
  ) : items.length === 0 ? (
    <div className="zx-mo-state" data-testid="interactions-empty">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('interactions.empty')} />
    </div>
  ) : (
    <ul className="zx-mo-int-list" data-testid="interactions">
      {items.map((n) => (
        <InteractionRow
          key={n.id}
          n={n}
          now={now}
          unread={!n.read || unreadHere.has(n.id)}
          onOpen={() => n.kind !== 'removed' && void navigate(postPath(n.postId))}
        />
      ))}
      {more && (
        <li className="zx-mo-list-end">
          <Button
            type="link"
            onClick={() => loadMoreInteractions().catch((err: unknown) => feedback.error(errorText(err)))}
          >
            {t('loadMore')}
          </Button>
        </li>
      )}
    </ul>
  );
  if (mobile)
    return (
      <div className="zx-mobile-screen zx-mo-screen" data-testid="interactions-page">
        <NavBar onBack={back}>{t('interactions.title')}</NavBar>
        <div className="zx-mobile-scroll">{list}</div>
      </div>
    );
  return (
    <div className="zx-mo-desk" data-testid="interactions-page">
      <header className="zx-mo-bar">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('back')} />
        <span className="zx-mo-title">{t('interactions.title')}</span>
      </header>
      <div className="zx-mo-scroll">
        <div className="zx-mo-column">{list}</div>
      </div>
    </div>
  );
}
