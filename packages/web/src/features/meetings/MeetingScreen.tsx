import {
  AppstoreOutlined,
  AudioMutedOutlined,
  AudioOutlined,
  DesktopOutlined,
  FullscreenOutlined,
  LogoutOutlined,
  RetweetOutlined,
  SoundOutlined,
  TeamOutlined,
  UserAddOutlined,
  UserOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Button } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ControlButton } from '../calls/ControlButton.tsx';
import { toggleFullscreen } from '../calls/media/devices.ts';
import { useElapsed } from '../calls/useElapsed.ts';
import { InviteDialog } from './InviteDialog.tsx';
import {
  dismissMeeting,
  leaveMeeting,
  setLayout,
  setMuted,
  setShowParticipants,
  switchCamera,
  toggleCamera,
  toggleScreenShare,
  toggleSpeaker,
} from './meeting-controller.ts';
import { formatMeetingCode, useMeetingView } from './meeting-store.ts';
import { MeetingStage } from './MeetingStage.tsx';
import { ParticipantsPanel } from './ParticipantsPanel.tsx';

function Controls({
  stage,
  onInvite,
}: {
  stage: React.RefObject<HTMLDivElement | null>;
  onInvite: () => void;
}) {
  const { t } = useTranslation('meetings');
  const { muted, unmuteBlocked, cameraOff, speakerOn, cameras, sharing, layout, showParticipants, meeting } =
    useMeetingView();
  const canShare = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
  return (
    <div className="zx-meeting-controls" data-testid="meeting-controls">
      <ControlButton
        icon={muted ? <AudioMutedOutlined /> : <AudioOutlined />}
        label={muted ? t('controls.unmute') : t('controls.mute')}
        active={muted}
        disabled={muted && unmuteBlocked}
        testId="meeting-mute"
        onClick={() => void setMuted(!muted)}
      />
      <ControlButton
        icon={<VideoCameraOutlined />}
        label={cameraOff ? t('controls.cameraOn') : t('controls.cameraOff')}
        active={cameraOff}
        testId="meeting-camera"
        onClick={() => void toggleCamera()}
      />
      <ControlButton
        icon={<SoundOutlined />}
        label={speakerOn ? t('controls.speakerOn') : t('controls.speakerOff')}
        active={!speakerOn}
        testId="meeting-speaker"
        onClick={toggleSpeaker}
      />
      {cameras > 1 && (
        <ControlButton
          icon={<RetweetOutlined />}
          label={t('controls.switchCamera')}
          testId="meeting-switch-camera"
          onClick={() => void switchCamera()}
        />
      )}
      {canShare && (
        <ControlButton
          icon={<DesktopOutlined />}
          label={sharing ? t('controls.stopShare') : t('controls.share')}
          active={sharing}
          testId="meeting-share"
          onClick={() => void toggleScreenShare().catch(() => undefined)}
        />
      )}
      <ControlButton
        icon={layout === 'grid' ? <UserOutlined /> : <AppstoreOutlined />}
        label={layout === 'grid' ? t('controls.speaker') : t('controls.grid')}
        testId="meeting-layout"
        onClick={() => setLayout(layout === 'grid' ? 'speaker' : 'grid')}
      />
      <ControlButton
        icon={<TeamOutlined />}
        label={`${t('controls.participants')} ${meeting?.participants.length ?? ''}`}
        active={showParticipants}
        testId="meeting-participants"
        onClick={() => setShowParticipants(!showParticipants)}
      />
      <ControlButton
        icon={<UserAddOutlined />}
        label={t('controls.invite')}
        testId="meeting-invite"
        onClick={onInvite}
      />
      <ControlButton
        icon={<FullscreenOutlined />}
        label={t('controls.fullscreen')}
        testId="meeting-fullscreen"
        onClick={() => void toggleFullscreen(stage.current)}
      />
      <ControlButton
        icon={<LogoutOutlined />}
        label={t('controls.leave')}
        tone="danger"
        testId="meeting-leave"
        onClick={() => void leaveMeeting()}
      />
    </div>
  );
}

function ExitScreen() {
  const { t } = useTranslation('meetings');
  const exit = useMeetingView((s) => s.exit);
  const topic = useMeetingView((s) => s.meeting?.topic);
  return (
    <div className="zx-meeting zx-meeting-exit" data-testid="meeting-exit" data-exit={exit ?? ''}>
      <div className="zx-meeting-exit-box">
        <div className="zx-meeting-exit-topic">{topic}</div>
        <div className="zx-meeting-exit-text">{exit ? t(`exit.${exit}`) : ''}</div>
        <Button type="primary" data-testid="meeting-exit-close" onClick={dismissMeeting}>
          {t('back')}
        </Button>
      </div>
    </div>
  );
}

/** The meeting: a header (topic, code, time), the stage, the controls, the participant list. */
export function MeetingScreen() {
  const { t } = useTranslation('meetings');
  const stage = useRef<HTMLDivElement>(null);
  const [inviting, setInviting] = useState(false);
  const phase = useMeetingView((s) => s.phase);
  const meeting = useMeetingView((s) => s.meeting);
  const notice = useMeetingView((s) => s.notice);
  const showParticipants = useMeetingView((s) => s.showParticipants);
  const elapsed = useElapsed(meeting?.startedAt ?? null);
  if (phase === 'left') return <ExitScreen />;
  if (phase === 'joining' || !meeting)
    return (
      <div className="zx-meeting zx-meeting-joining" data-testid="meeting-joining">
        {t('joining')}
      </div>
    );
  return (
    <div className="zx-meeting" data-testid="meeting-screen" data-meeting={meeting.id} ref={stage}>
      <header className="zx-meeting-head">
        <span className="zx-meeting-topic" data-testid="meeting-topic">
          {meeting.topic}
        </span>
        <span className="zx-meeting-code" data-testid="meeting-code">
          {formatMeetingCode(meeting.code)}
        </span>
        <span className="zx-meeting-time">{elapsed}</span>
      </header>
      <div className="zx-meeting-body">
        <MeetingStage />
        {showParticipants && <ParticipantsPanel />}
      </div>
      {notice && (
        <div className="zx-meeting-notice" data-testid="meeting-notice" data-notice={notice}>
          {t(`notice.${notice}`)}
        </div>
      )}
      <Controls stage={stage} onInvite={() => setInviting(true)} />
      {inviting && <InviteDialog meetingId={meeting.id} onClose={() => setInviting(false)} />}
    </div>
  );
}
