import { List, NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router';
import { useSession } from '../../app/session.ts';
import { maskPhone } from '../auth/phone.ts';
import { LogoutButton } from './AccountSection.tsx';
import { MyAvatar } from './MyAvatar.tsx';
import { SECTIONS } from './sections.tsx';
import './settings.css';
import './settings-mobile.css';

/** The "me" tab: my card, the settings entries, and log out at the bottom. */
function MeHome() {
  const { t } = useTranslation('settings');
  const navigate = useNavigate();
  const me = useSession((s) => s.me);
  return (
    <div className="zx-mobile-screen">
      <div className="zx-mobile-scroll zx-m-me">
        <button
          type="button"
          className="zx-me-card"
          data-testid="me-card"
          onClick={() => void navigate('/me/profile')}
        >
          <MyAvatar size={64} />
          <span className="zx-me-card-text">
            <span className="zx-me-card-name" data-testid="me-nickname">
              {me?.nickname}
            </span>
            <span className="zx-me-card-phone">
              {me ? t('profile.phoneLine', { phone: maskPhone(me.phone) }) : ''}
            </span>
          </span>
        </button>
        <List mode="card" className="zx-m-group">
          {SECTIONS.map((s) => (
            <List.Item
              key={s.key}
              prefix={<span className="zx-m-menu-icon">{s.icon}</span>}
              onClick={() => void navigate(`/me/${s.key}`)}
              data-testid={`me-entry-${s.key}`}
            >
              {t(`menu.${s.key}`)}
            </List.Item>
          ))}
        </List>
        <div className="zx-m-logout-wrap">
          <LogoutButton />
        </div>
      </div>
    </div>
  );
}

function hasHistory(): boolean {
  const state: unknown = window.history.state;
  return (
    typeof state === 'object' &&
    state !== null &&
    'idx' in state &&
    typeof state.idx === 'number' &&
    state.idx > 0
  );
}

/** One settings section as a full screen with a back button. */
function SectionScreen() {
  const { t } = useTranslation('settings');
  const navigate = useNavigate();
  const { section } = useParams();
  const found = SECTIONS.find((s) => s.key === section);
  if (!found) return <Navigate to="/me" replace />;
  // Back through history when we came from /me (keeps its scroll); opened directly, go up to /me.
  const back = () => void (hasHistory() ? navigate(-1) : navigate('/me', { replace: true }));
  return (
    <div className="zx-mobile-screen" data-testid={`settings-section-${found.key}`}>
      <NavBar onBack={back}>{t(`menu.${found.key}`)}</NavBar>
      <div className="zx-mobile-scroll zx-m-section">{found.render()}</div>
    </div>
  );
}

/** The mobile "me" tab and its settings screens (`/me`, `/me/:section`). */
export default function MobileMeRoutes() {
  return (
    <Routes>
      <Route index element={<MeHome />} />
      <Route path=":section" element={<SectionScreen />} />
    </Routes>
  );
}
