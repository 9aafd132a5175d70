import { App } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router';
import { joinMeeting } from './meeting-controller.ts';
import { parseMeetingCode } from './meeting-store.ts';
import { MeetingsHome } from './MeetingsHome.tsx';
import './meetings.css';

/** `/meet/:code` (the join link): join, then show the meetings page under the meeting screen. */
export function JoinByLink() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { t } = useTranslation('meetings');
  const once = useRef(false);
  useEffect(() => {
    if (once.current) return;
    once.current = true;
    const parsed = parseMeetingCode(code);
    void navigate('/meetings', { replace: true });
    // A refusal stays on the meetings page as an alert (the store keeps its code).
    if (parsed) joinMeeting({ code: parsed }).catch(() => undefined);
    else void message.warning(t('invalidCode'));
  }, [code, navigate, message, t]);
  return null;
}

export default function MeetingsRoutes() {
  return (
    <Routes>
      <Route index element={<MeetingsHome />} />
      <Route path="*" element={<Navigate to="/meetings" replace />} />
    </Routes>
  );
}
