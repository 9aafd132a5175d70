import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useLayoutKind } from '../../../app/layout.ts';
import { INTERACTIONS_PATH } from './paths.ts';
import { PostList } from './PostList.tsx';

/** One post on its own (opened from an interaction). */
export function PostPage() {
  const { t } = useTranslation('moments');
  const { postId = '' } = useParams();
  const navigate = useNavigate();
  const mobile = useLayoutKind() === 'mobile';
  const back = () => void navigate(INTERACTIONS_PATH);
  const list = <PostList feedKey={`post:${postId}`} emptyText={t('errors.MOMENT_NOT_FOUND')} />;
  if (mobile)
    return (
      <div className="zx-mobile-screen zx-mo-screen" data-testid="post-page">
        <NavBar onBack={back}>{t('postTitle')}</NavBar>
        <div className="zx-mobile-scroll zx-mo-m-scroll">{list}</div>
      </div>
    );
  return (
    <div className="zx-mo-desk" data-testid="post-page">
      <header className="zx-mo-bar">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={back} aria-label={t('back')} />
        <span className="zx-mo-title">{t('postTitle')}</span>
      </header>
      <div className="zx-mo-scroll">
        <div className="zx-mo-column">{list}</div>
      </div>
    </div>
  );
}
