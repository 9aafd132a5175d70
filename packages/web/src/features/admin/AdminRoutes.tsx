import { ArrowLeftOutlined, MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Layout, Menu, Result } from 'antd';
import { isStaff, roleMayCall } from '@zhixin/protocol';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useLayoutKind } from '../../app/layout.ts';
import { useSession } from '../../app/session.ts';
import { ADMIN_PAGES, type AdminPage } from './pages.ts';
import './admin.css';

/** The console's menu and the way back to the app: the side menu on a desktop, the drawer on a phone. */
function AdminNav({ pages, current, onPick }: { pages: AdminPage[]; current: string; onPick: () => void }) {
  const { t } = useTranslation('admin');
  const navigate = useNavigate();
  return (
    <>
      <Menu
        mode="inline"
        selectedKeys={[current]}
        items={pages.map((page) => ({
          key: page.path,
          label: <span data-testid={`admin-menu-${page.path}`}>{t(page.labelKey)}</span>,
        }))}
        onClick={({ key }) => {
          navigate(`/admin/${key}`);
          onPick();
        }}
      />
      <Link to="/chats" className="zx-admin-back">
        <ArrowLeftOutlined /> {t('backToApp')}
      </Link>
    </>
  );
}

/**
 * The admin console at /admin for staff (operators, auditors, administrators); each sees the pages its
 * role may use. The server checks every operation itself; hiding pages is only a courtesy. On a desktop
 * the menu sits beside the page; below the mobile breakpoint (app/layout.ts) the page gets the full
 * width and the menu opens as a drawer from a button in the top bar.
 */
export default function AdminRoutes() {
  const { t } = useTranslation('admin');
  const me = useSession((s) => s.me);
  const layout = useLayoutKind();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
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
  const content = (
    <Layout.Content className="zx-admin-content" data-testid="admin-content">
      <Suspense fallback={null}>
        <Routes>
          {pages.map(({ path, Screen }) => (
            <Route key={path} path={`${path}/*`} element={<Screen />} />
          ))}
          <Route
            path="*"
            element={first ? <Navigate to={`/admin/${first.path}`} replace /> : <Result title={t('empty')} />}
          />
        </Routes>
      </Suspense>
    </Layout.Content>
  );
  if (layout === 'mobile') {
    const here = pages.find((page) => page.path === current);
    return (
      <Layout className="zx-admin zx-admin-mobile" data-testid="admin-console">
        <header className="zx-admin-topbar">
          <Button
            type="text"
            icon={<MenuOutlined />}
            aria-label={t('openMenu')}
            aria-expanded={menuOpen}
            data-testid="admin-menu-toggle"
            onClick={() => setMenuOpen(true)}
          />
          <span className="zx-admin-topbar-title" data-testid="admin-page-title">
            {here ? t(here.labelKey) : t('title')}
          </span>
        </header>
        <Drawer
          open={menuOpen}
          onClose={() => setMenuOpen(false)}
          placement="left"
          size={260}
          title={t('title')}
          className="zx-admin-drawer"
        >
          <nav data-testid="admin-menu-drawer">
            <AdminNav pages={pages} current={current} onPick={() => setMenuOpen(false)} />
          </nav>
        </Drawer>
        {content}
      </Layout>
    );
  }
  return (
    <Layout className="zx-admin" data-testid="admin-console">
      <Layout.Sider width={220} theme="light" className="zx-admin-sider">
        <div className="zx-admin-brand">{t('title')}</div>
        <AdminNav pages={pages} current={current} onPick={() => undefined} />
      </Layout.Sider>
      {content}
    </Layout>
  );
}
