import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes, useParams } from 'react-router';
import { SECTIONS } from './sections.tsx';
import './settings.css';
import './settings-mobile.css';

function SectionPane() {
  const { t } = useTranslation('settings');
  const { section } = useParams();
  const found = SECTIONS.find((s) => s.key === section);
  if (!found) return <Navigate to="/settings/profile" replace />;
  return (
    <div className="zx-main-pane" data-testid={`settings-section-${found.key}`}>
      <header className="zx-set-header">{t(`menu.${found.key}`)}</header>
      <div className="zx-set-scroll">
        <div className="zx-set-content">{found.render()}</div>
      </div>
    </div>
  );
}

/** Desktop settings: the section menu in the list pane, the chosen section in the main pane. */
export default function DesktopSettingsRoutes() {
  const { t } = useTranslation('settings');
  return (
    <div className="zx-panes">
      <nav className="zx-list-pane zx-set-menu" aria-label={t('title')}>
        <div className="zx-set-menu-title">{t('title')}</div>
        {SECTIONS.map((s) => (
          <NavLink
            key={s.key}
            to={`/settings/${s.key}`}
            data-testid={`settings-menu-${s.key}`}
            className={({ isActive }) =>
              isActive ? 'zx-set-menu-item zx-set-menu-item-active' : 'zx-set-menu-item'
            }
          >
            <span className="zx-set-menu-icon">{s.icon}</span>
            {t(`menu.${s.key}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route path=":section" element={<SectionPane />} />
        <Route path="*" element={<Navigate to="/settings/profile" replace />} />
      </Routes>
    </div>
  );
}
