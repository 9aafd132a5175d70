import { useEffect } from 'react';
import { InvitationRing } from '../meetings/InvitationRing.tsx';
import { startMeetingListener } from '../meetings/meeting-controller.ts';
import { useMeetingView } from '../meetings/meeting-store.ts';
import { MeetingScreen } from '../meetings/MeetingScreen.tsx';
import { startCallListener } from './call-controller.ts';
import { useCallView } from './call-store.ts';
import { CallPill, CallScreen } from './CallScreen.tsx';
import './calls.css';
import '../meetings/meetings.css';

/**
 * Calls and meetings above every screen, on desktop and mobile: the ringing call, the call screen
 * (or its pill when minimised), the meeting screen and ringing meeting invitations.
 */
export default function MediaLayer() {
  const callPhase = useCallView((s) => s.phase);
  const minimized = useCallView((s) => s.minimized);
  const meetingPhase = useMeetingView((s) => s.phase);
  useEffect(() => {
    startCallListener();
    startMeetingListener();
  }, []);
  return (
    <>
      {meetingPhase !== 'idle' && <MeetingScreen />}
      {callPhase !== 'idle' && (minimized && callPhase !== 'incoming' ? <CallPill /> : <CallScreen />)}
      <InvitationRing />
    </>
  );
}
