import { NavBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate } from 'react-router';
import { MeetingsHome } from './MeetingsHome.tsx';
import './meetings.css';

/** The meetings page on a phone: a full screen under the discover tab. */
export default function MobileMeetingsRoutes() {
  const { t } = useTranslation('meetings');
  const navigate = useNavigate();
  return (
    <Routes>
      <Route
        index
        element={
          <div className="zx-mobile-screen">
            <NavBar onBack={() => void navigate('/discover')}>{t('title')}</NavBar>
            <div className="zx-mobile-scroll">
              <MeetingsHome />
            </div>
          </div>
        }
      />
      <Route path="*" element={<Navigate to="/meetings" replace />} />
    </Routes>
  );
}
