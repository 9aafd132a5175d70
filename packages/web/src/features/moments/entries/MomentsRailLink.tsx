import { CompassOutlined } from '@ant-design/icons';
import { Badge, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { MOMENTS_PATH } from '../feed/paths.ts';
import { useMomentsDot } from '../moments-live.ts';

/** The desktop rail's entry to moments: a count of unread interactions, else a dot for new posts. */
export function MomentsRailLink() {
  const { t } = useTranslation('moments');
  const { unread, newPosts } = useMomentsDot();
  return (
    <Tooltip title={t('entry')} placement="right">
      <NavLink
        to={MOMENTS_PATH}
        data-testid="nav-moments"
        aria-label={t('entry')}
        className={({ isActive }) => (isActive ? 'zx-rail-link zx-rail-link-active' : 'zx-rail-link')}
      >
        <Badge
          count={unread}
          dot={unread === 0 && newPosts > 0}
          size="small"
          overflowCount={99}
          data-testid="moments-badge"
        >
          <CompassOutlined className="zx-rail-icon" />
        </Badge>
      </NavLink>
    </Tooltip>
  );
}
