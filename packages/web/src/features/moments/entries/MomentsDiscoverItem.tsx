import { Badge, List } from 'antd-mobile';
import { CompassOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { MOMENTS_PATH } from '../feed/paths.ts';
import { useMomentsDot } from '../moments-live.ts';

/** The 发现 list's entry to moments, with unread interactions (or a dot for new posts). */
export function MomentsDiscoverItem() {
  const { t } = useTranslation('moments');
  const navigate = useNavigate();
  const { unread, newPosts } = useMomentsDot();
  const badge = unread > 0 ? (unread > 99 ? '99+' : String(unread)) : newPosts > 0 ? Badge.dot : null;
  return (
    <List.Item
      prefix={
        <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: '#2f54eb' }}>
          <CompassOutline />
        </span>
      }
      extra={badge ? <Badge content={badge} data-testid="moments-badge" /> : null}
      onClick={() => void navigate(MOMENTS_PATH)}
    >
      <span data-testid="nav-moments">{t('entry')}</span>
    </List.Item>
  );
}

/** Whether the 发现 tab shows a dot for moments. */
export function useDiscoverDot(): boolean {
  const { unread, newPosts } = useMomentsDot();
  return unread > 0 || newPosts > 0;
}
