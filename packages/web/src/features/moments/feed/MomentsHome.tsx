import { BellOutlined, CameraOutlined, SearchOutlined, UserOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { NavBar, PullToRefresh } from 'antd-mobile';
import type { MomentFeedScope } from '@zhixin/protocol';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { myUserId } from '../../../data/me.ts';
import { ComposerDialog } from '../composer/ComposerDialog.tsx';
import { refreshFeed } from '../feed-store.ts';
import { markFeedSeen, useMomentsLive } from '../moments-live.ts';
import { FeedTabs, SCOPES } from './FeedTabs.tsx';
import { InteractionsPill, NewPostsBanner } from './NewPostsBanner.tsx';
import { INTERACTIONS_PATH, searchPath, userPagePath } from './paths.ts';
import { PostList } from './PostList.tsx';

function useScope(): [MomentFeedScope, (scope: MomentFeedScope) => void] {
  const [params, setParams] = useSearchParams();
  const raw = params.get('scope');
  const scope = SCOPES.find((s) => s === raw) ?? 'everyone';
  return [scope, (next) => setParams(next === 'everyone' ? {} : { scope: next }, { replace: true })];
}

/** The feeds (全部 / 好友 / 我的) with the composer, the new-posts indicator and the interactions entry. */
export function MomentsHome() {
  const { t } = useTranslation('moments');
  const mobile = useLayoutKind() === 'mobile';
  const navigate = useNavigate();
  const [scope, setScope] = useScope();
  const [composing, setComposing] = useState(false);
  const unread = useMomentsLive((s) => s.unread);
  const scroller = useRef<HTMLDivElement>(null);

  const toTop = () => scroller.current?.scrollTo({ top: 0, behavior: 'smooth' });
  const refresh = async () => {
    await refreshFeed(scope).catch(() => undefined);
    if (scope !== 'mine') markFeedSeen();
  };
  const showNew = () => {
    toTop();
    void refresh();
  };
  const emptyText = t(`empty.${scope}`);
  const body = (
    <>
      <InteractionsPill />
      <NewPostsBanner onShow={showNew} />
      <PostList
        key={scope}
        feedKey={scope}
        emptyText={emptyText}
        onLoaded={scope !== 'mine' ? markFeedSeen : undefined}
      />
    </>
  );
  const title = (
    <span className="zx-mo-title" data-testid="moments-title" onDoubleClick={toTop} title={t('toTopHint')}>
      {t('title')}
    </span>
  );
  const bell: ReactNode = (
    <Badge count={unread} size="small" overflowCount={99}>
      <BellOutlined className="zx-mo-bar-icon" />
    </Badge>
  );

  if (mobile)
    return (
      <div className="zx-mobile-screen zx-mo-screen" data-testid="moments-home">
        <NavBar
          onBack={() => void navigate('/discover')}
          right={
            <span className="zx-mo-m-bar-actions">
              <button
                type="button"
                className="zx-mo-bar-button"
                data-testid="open-search"
                aria-label={t('search.open')}
                onClick={() => void navigate(searchPath())}
              >
                <SearchOutlined className="zx-mo-bar-icon" />
              </button>
              <button
                type="button"
                className="zx-mo-bar-button"
                data-testid="open-interactions"
                aria-label={t('interactions.title')}
                onClick={() => void navigate(INTERACTIONS_PATH)}
              >
                {bell}
              </button>
              <button
                type="button"
                className="zx-mo-bar-button"
                data-testid="open-composer"
                aria-label={t('composer.title')}
                onClick={() => setComposing(true)}
              >
                <CameraOutlined className="zx-mo-bar-icon" />
              </button>
            </span>
          }
        >
          {title}
        </NavBar>
        <FeedTabs scope={scope} onChange={setScope} mobile />
        <div className="zx-mobile-scroll zx-mo-m-scroll" ref={scroller}>
          <PullToRefresh onRefresh={refresh}>{body}</PullToRefresh>
        </div>
        <ComposerDialog open={composing} onClose={() => setComposing(false)} />
      </div>
    );
  return (
    <div className="zx-mo-desk" data-testid="moments-home">
      <header className="zx-mo-bar" onDoubleClick={toTop}>
        {title}
        <FeedTabs scope={scope} onChange={setScope} mobile={false} />
        <span className="zx-mo-bar-actions">
          <Tooltip title={t('search.open')}>
            <Button
              type="text"
              data-testid="open-search"
              aria-label={t('search.open')}
              onClick={() => void navigate(searchPath())}
              icon={<SearchOutlined className="zx-mo-bar-icon" />}
            />
          </Tooltip>
          <Tooltip title={t('interactions.title')}>
            <Button
              type="text"
              data-testid="open-interactions"
              aria-label={t('interactions.title')}
              onClick={() => void navigate(INTERACTIONS_PATH)}
              icon={bell}
            />
          </Tooltip>
          <Tooltip title={t('myPage')}>
            <Button
              type="text"
              data-testid="open-my-page"
              aria-label={t('myPage')}
              onClick={() => void navigate(userPagePath(myUserId()))}
              icon={<UserOutlined className="zx-mo-bar-icon" />}
            />
          </Tooltip>
          <Button
            type="primary"
            icon={<CameraOutlined />}
            data-testid="open-composer"
            onClick={() => setComposing(true)}
          >
            {t('composer.open')}
          </Button>
        </span>
      </header>
      <div className="zx-mo-scroll" ref={scroller}>
        <div className="zx-mo-column">{body}</div>
      </div>
      <ComposerDialog open={composing} onClose={() => setComposing(false)} />
    </div>
  );
}
