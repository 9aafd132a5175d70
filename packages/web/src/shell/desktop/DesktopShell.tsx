import {
  ControlOutlined,
  MessageOutlined,
  SettingOutlined,
  TeamOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Badge, Tooltip } from 'antd';
import { isStaff } from '@zhixin/protocol';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useSession } from '../../app/session.ts';
import { useTotalUnread } from '../../data/unread.ts';
import { MyAvatar } from '../../features/settings/MyAvatar.tsx';
import { MomentsRailLink } from '../../features/moments/index.ts';
import { ConnectionBanner } from '../ConnectionBanner.tsx';
import './desktop.css';

const DesktopChatsRoutes = lazy(() => import('../../features/chats/DesktopChatsRoutes.tsx'));
const DesktopContactsRoutes = lazy(() => import('../../features/contacts/DesktopContactsRoutes.tsx'));
const DesktopSettingsRoutes = lazy(() => import('../../features/settings/DesktopSettingsRoutes.tsx'));
const MeetingsRoutes = lazy(() => import('../../features/meetings/MeetingsRoutes.tsx'));
const JoinByLink = lazy(() =>
  import('../../features/meetings/MeetingsRoutes.tsx').then((m) => ({ default: m.JoinByLink })),
);
const MediaLayer = lazy(() => import('../../features/calls/MediaLayer.tsx'));
const MomentsRoutes = lazy(() => import('../../features/moments/MomentsRoutes.tsx'));

function RailLink({
  to,
  label,
  icon,
  testId,
}: {
  to: string;
  label: string;
  icon: ReactNode;
  testId: string;
}) {
  return (
    <Tooltip title={label} placement="right">
      <NavLink
        to={to}
        data-testid={testId}
        aria-label={label}
        className={({ isActive }) => (isActive ? 'zx-rail-link zx-rail-link-active' : 'zx-rail-link')}
      >
        {icon}
      </NavLink>
    </Tooltip>
  );
}

/** The PC terminal: a navigation rail, then each section's list pane and main pane (three panes). */
export default function DesktopShell() {
  const { t } = useTranslation();
  const unread = useTotalUnread();
  const isStaffMember = useSession((s) => isStaff(s.me?.role));
  return (
    <div className="zx-desktop" data-testid="shell-desktop">
      <nav className="zx-rail" aria-label={t('appName')}>
        <NavLink to="/settings/profile" className="zx-rail-me" aria-label={t('nav.me')}>
          <MyAvatar size={36} />
        </NavLink>
        <RailLink
          to="/chats"
          label={t('nav.chats')}
          testId="nav-chats"
          icon={
            <Badge count={unread} size="small" overflowCount={99}>
              <MessageOutlined className="zx-rail-icon" />
            </Badge>
          }
        />
        <RailLink
          to="/contacts"
          label={t('nav.contacts')}
          testId="nav-contacts"
          icon={<TeamOutlined className="zx-rail-icon" />}
        />
        <RailLink
          to="/meetings"
          label={t('meetings:entry')}
          testId="nav-meetings"
          icon={<VideoCameraOutlined className="zx-rail-icon" />}
        />
        <MomentsRailLink />
        <div className="zx-rail-spacer" />
        {isStaffMember && (
          <RailLink
            to="/admin"
            label={t('nav.admin')}
            testId="nav-admin"
            icon={<ControlOutlined className="zx-rail-icon" />}
          />
        )}
        <RailLink
          to="/settings"
          label={t('nav.settings')}
          testId="nav-settings"
          icon={<SettingOutlined className="zx-rail-icon" />}
        />
      </nav>
      <main className="zx-desktop-main">
        <ConnectionBanner />
        <Suspense fallback={null}>
          <Routes>
            <Route path="/chats/*" element={<DesktopChatsRoutes />} />
            <Route path="/contacts/*" element={<DesktopContactsRoutes />} />
            <Route path="/settings/*" element={<DesktopSettingsRoutes />} />
            <Route path="/meetings/*" element={<MeetingsRoutes />} />
            <Route path="/meet/:code" element={<JoinByLink />} />
            <Route path="/moments/*" element={<MomentsRoutes />} />
            <Route path="*" element={<Navigate to="/chats" replace />} />
          </Routes>
        </Suspense>
        <Suspense fallback={null}>
          <MediaLayer />
        </Suspense>
      </main>
    </div>
  );
}
