import { ApartmentOutlined } from '@ant-design/icons';
import { List } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';

const COLOR = '#2f54eb';

/** The "组织架构" row of the desktop contacts list pane. */
export function DirectoryEntry() {
  const { t } = useTranslation('directory');
  return (
    <NavLink
      to="/contacts/directory"
      className={({ isActive }) => (isActive ? 'zx-ct-item zx-ct-item-active' : 'zx-ct-item')}
      data-testid="directory-entry"
    >
      <span className="zx-ct-entry-icon" style={{ background: COLOR }}>
        <ApartmentOutlined />
      </span>
      <span className="zx-ct-item-name">{t('entry')}</span>
    </NavLink>
  );
}

/** The "组织架构" row of the mobile contacts tab. */
export function MobileDirectoryEntry() {
  const { t } = useTranslation('directory');
  const navigate = useNavigate();
  return (
    <List.Item
      prefix={
        <span className="zx-ct-entry-icon zx-ct-entry-icon-m" style={{ background: COLOR }}>
          <ApartmentOutlined />
        </span>
      }
      arrowIcon={false}
      onClick={() => void navigate('/contacts/directory')}
    >
      <span data-testid="directory-entry">{t('entry')}</span>
    </List.Item>
  );
}
