import { Badge, TabBar } from 'antd-mobile';
import { AppOutline, MessageOutline, UserContactOutline, UserOutline } from 'antd-mobile-icons';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTotalUnread } from '../../data/unread.ts';
import { useDiscoverDot } from '../../features/moments/index.ts';
import { ConnectionBanner } from '../ConnectionBanner.tsx';
import './mobile.css';

const MobileChatsRoutes = lazy(() => import('../../features/chats/MobileChatsRoutes.tsx'));
const MobileContactsRoutes = lazy(() => import('../../features/contacts/MobileContactsRoutes.tsx'));
const MobileDiscoverRoutes = lazy(() => import('../../features/contacts/MobileDiscoverRoutes.tsx'));
const MobileMeRoutes = lazy(() => import('../../features/settings/MobileMeRoutes.tsx'));
const MobileMeetingsRoutes = lazy(() => import('../../features/meetings/MobileMeetingsRoutes.tsx'));
const JoinByLink = lazy(() =>
  import('../../features/meetings/MeetingsRoutes.tsx').then((m) => ({ default: m.JoinByLink })),
);
const MediaLayer = lazy(() => import('../../features/calls/MediaLayer.tsx'));
const MomentsRoutes = lazy(() => import('../../features/moments/MomentsRoutes.tsx'));

const TABS = ['/chats', '/contacts', '/discover', '/me'] as const;

/**
 * The mobile terminal: one screen at a time, with a tab bar (chats, contacts, discover, me) on the
 * four top-level screens; deeper screens (a chat, a profile, a settings page) take the whole screen.
 */
export default function MobileShell() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const unread = useTotalUnread();
  const discoverDot = useDiscoverDot();
  const tab = TABS.find((path) => location.pathname === path);

  return (
    <div className="zx-mobile" data-testid="shell-mobile">
      <ConnectionBanner />
      <div className="zx-mobile-body">
        <Suspense fallback={null}>
          <Routes>
            <Route path="/chats/*" element={<MobileChatsRoutes />} />
            <Route path="/contacts/*" element={<MobileContactsRoutes />} />
            <Route path="/discover/*" element={<MobileDiscoverRoutes />} />
            <Route path="/me/*" element={<MobileMeRoutes />} />
            <Route path="/meetings/*" element={<MobileMeetingsRoutes />} />
            <Route path="/meet/:code" element={<JoinByLink />} />
            <Route path="/moments/*" element={<MomentsRoutes />} />
            <Route path="*" element={<Navigate to="/chats" replace />} />
          </Routes>
        </Suspense>
        <Suspense fallback={null}>
          <MediaLayer />
        </Suspense>
      </div>
      {tab && (
        <TabBar className="zx-mobile-tabbar" activeKey={tab} onChange={(key) => navigate(key)} safeArea>
          <TabBar.Item
            key="/chats"
            icon={<MessageOutline data-testid="nav-chats" />}
            title={t('nav.chats')}
            badge={unread > 0 ? (unread > 99 ? '99+' : unread) : undefined}
          />
          <TabBar.Item
            key="/contacts"
            icon={<UserContactOutline data-testid="nav-contacts" />}
            title={t('nav.contacts')}
          />
          <TabBar.Item
            key="/discover"
            icon={<AppOutline data-testid="nav-discover" />}
            title={t('nav.discover')}
            badge={discoverDot ? Badge.dot : undefined}
          />
          <TabBar.Item key="/me" icon={<UserOutline data-testid="nav-me" />} title={t('nav.me')} />
        </TabBar>
      )}
    </div>
  );
}
