import { ArrowLeftOutlined } from '@ant-design/icons';
import { Layout, Menu, Result } from 'antd';
import { isStaff, roleMayCall } from '@zhixin/protocol';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useSession } from '../../app/session.ts';
import { ADMIN_PAGES } from './pages.ts';
import './admin.css';

/**
 * The admin console at /admin (desktop layout) for staff (operators, auditors, administrators); each
 * sees the pages its role may use. The server checks every operation itself; hiding pages is only a
 * courtesy.
 */
export default function AdminRoutes() {
  const { t } = useTranslation('admin');
  const me = useSession((s) => s.me);
  const location = useLocation();
  const navigate = useNavigate();
  if (!me || !isStaff(me.role))
    return (
      <Result
        status="403"
        title={t('forbidden.title')}
        subTitle={t('forbidden.text')}
        extra={<Link to="/chats">{t('backToApp')}</Link>}
      />
    );
  const pages = ADMIN_PAGES.filter((page) => roleMayCall(page.access, me.role));
  const current = location.pathname.split('/')[2] ?? '';
  const first = pages[0];
  return (
    <Layout className="zx-admin" data-testid="admin-console">
      <Layout.Sider width={220} theme="light" className="zx-admin-sider">
        <div className="zx-admin-brand">{t('title')}</div>
        <Menu
          mode="inline"
          selectedKeys={[current]}
          items={pages.map((page) => ({
            key: page.path,
            label: <span data-testid={`admin-menu-${page.path}`}>{t(page.labelKey)}</span>,
          }))}
          onClick={({ key }) => navigate(`/admin/${key}`)}
        />
        <Link to="/chats" className="zx-admin-back">
          <ArrowLeftOutlined /> {t('backToApp')}
        </Link>
      </Layout.Sider>
      <Layout.Content className="zx-admin-content">
        <Suspense fallback={null}>
          <Routes>
            {pages.map(({ path, Screen }) => (
              <Route key={path} path={`${path}/*`} element={<Screen />} />
            ))}
            <Route
              path="*"
              element={
                first ? <Navigate to={`/admin/${first.path}`} replace /> : <Result title={t('empty')} />
              }
            />
          </Routes>
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}
