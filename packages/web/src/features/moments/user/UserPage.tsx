import { NavBar } from 'antd-mobile';
import { Button } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { UserAvatar } from '../../../components/UserAvatar.tsx';
import { isMe } from '../../../data/me.ts';
import { useDisplayName } from '../../../data/people.ts';
import { useFeed } from '../feed-store.ts';
import { PostList } from '../feed/PostList.tsx';
import { MOMENTS_PATH } from '../feed/paths.ts';
import { CoverImage } from './CoverImage.tsx';

/** A user's page: cover, avatar and name, and their posts as I may see them. */
export function UserPage() {
  const { t } = useTranslation('moments');
  const { userId = '' } = useParams();
  const navigate = useNavigate();
  const mobile = useLayoutKind() === 'mobile';
  const feed = useFeed(`user:${userId}`);
  const name = useDisplayName(userId) || feed.profile?.nickname || '';
  const mine = isMe(userId);
  const scroller = useRef<HTMLDivElement>(null);
  const toTop = () => scroller.current?.scrollTo({ top: 0, behavior: 'smooth' });
  const back = () => void navigate(MOMENTS_PATH);
  const title = (
    <span className="zx-mo-title" data-testid="user-page-title" onDoubleClick={toTop}>
      {mine ? t('myPage') : name}
    </span>
  );
  const header = (
    <div className="zx-mo-user-head">
      <CoverImage coverFileId={feed.coverFileId} mine={mine} />
      <div className="zx-mo-user-id">
        <span className="zx-mo-user-name" data-testid="user-page-name">
          {name}
        </span>
        <span className="zx-mo-user-avatar">
          <UserAvatar userId={userId} size={72} />
        </span>
      </div>
      {feed.profile?.signature && <div className="zx-mo-user-signature">{feed.profile.signature}</div>}
    </div>
  );
  const list = <PostList feedKey={`user:${userId}`} emptyText={mine ? t('empty.mine') : t('empty.user')} />;
  if (mobile)
    return (
      <div className="zx-mobile-screen zx-mo-screen" data-testid="user-page">
        <NavBar onBack={back}>{title}</NavBar>
        <div className="zx-mobile-scroll zx-mo-m-scroll" ref={scroller}>
          {header}
          {list}
        </div>
      </div>
    );
  return (
    <div className="zx-mo-desk" data-testid="user-page">
      <header className="zx-mo-bar" onDoubleClick={toTop}>
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('back')} />
        {title}
      </header>
      <div className="zx-mo-scroll" ref={scroller}>
        <div className="zx-mo-column">
          {header}
          {list}
        </div>
      </div>
    </div>
  );
}
