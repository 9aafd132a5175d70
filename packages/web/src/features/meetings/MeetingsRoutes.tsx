import { App } from 'antd';
import { useEffect, useRef } from 'react';
import { Navigate, Route, Routes, useNavigate, useParams } from 'react-router';
import { joinMeeting } from './meeting-controller.ts';
import { parseMeetingCode } from './meeting-store.ts';
import { MeetingsHome, useMeetingErrorText } from './MeetingsHome.tsx';
import './meetings.css';

/** `/meet/:code` (the join link): join, then show the meetings page under the meeting screen. */
export function JoinByLink() {
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useMeetingErrorText();
  const once = useRef(false);
  useEffect(() => {
    if (once.current) return;
    once.current = true;
    const parsed = parseMeetingCode(code);
    void navigate('/meetings', { replace: true });
    if (parsed) joinMeeting({ code: parsed }).catch((err: unknown) => void message.error(errorText(err)));
  }, [code, navigate, message, errorText]);
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
