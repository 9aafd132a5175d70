import {
  AudioMutedOutlined,
  AudioOutlined,
  CompressOutlined,
  FullscreenOutlined,
  PhoneOutlined,
  RetweetOutlined,
  SoundOutlined,
  SwapOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { UserAvatar } from '../../components/UserAvatar.tsx';
import { useDisplayName } from '../../data/people.ts';
import {
  acceptCall,
  declineCall,
  hangUp,
  setMinimized,
  switchCamera,
  switchMedia,
  toggleCamera,
  toggleMute,
  toggleSpeaker,
} from './call-controller.ts';
import { useCallView } from './call-store.ts';
import { ControlButton } from './ControlButton.tsx';
import { toggleFullscreen } from './media/devices.ts';
import { useElapsed } from './useElapsed.ts';
import { VideoView } from './VideoView.tsx';

function Status() {
  const { t } = useTranslation('calls');
  const { phase, media, endReason, connectedAt } = useCallView();
  const elapsed = useElapsed(phase === 'active' ? connectedAt : null);
  let text = '';
  if (phase === 'outgoing') text = t('outgoing');
  else if (phase === 'incoming') text = media === 'video' ? t('incomingVideo') : t('incomingVoice');
  else if (phase === 'connecting') text = t('connecting');
  else if (phase === 'active') text = elapsed;
  else if (phase === 'ended' && endReason) text = t(`ended.${endReason}`);
  return (
    <div className="zx-call-status" data-testid="call-status" data-phase={phase}>
      {text}
    </div>
  );
}

function IncomingControls() {
  const { t } = useTranslation('calls');
  const media = useCallView((s) => s.media);
  return (
    <div className="zx-call-controls">
      <ControlButton
        icon={<PhoneOutlined className="zx-icon-hangup" />}
        label={t('decline')}
        tone="danger"
        testId="call-decline"
        onClick={() => void declineCall()}
      />
      {media === 'video' && (
        <ControlButton
          icon={<AudioOutlined />}
          label={t('acceptVoice')}
          testId="call-accept-voice"
          onClick={() => void acceptCall(false)}
        />
      )}
      <ControlButton
        icon={media === 'video' ? <VideoCameraOutlined /> : <PhoneOutlined />}
        label={t('accept')}
        tone="accept"
        testId="call-accept"
        onClick={() => void acceptCall(media === 'video')}
      />
    </div>
  );
}

function InCallControls({ stage }: { stage: React.RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation('calls');
  const { phase, media, muted, cameraOff, speakerOn, cameras } = useCallView();
  const live = phase === 'connecting' || phase === 'active';
  return (
    <div className="zx-call-controls">
      <ControlButton
        icon={muted ? <AudioMutedOutlined /> : <AudioOutlined />}
        label={muted ? t('unmute') : t('mute')}
        active={muted}
        testId="call-mute"
        onClick={toggleMute}
      />
      {media === 'video' && (
        <ControlButton
          icon={<VideoCameraOutlined />}
          label={cameraOff ? t('cameraOn') : t('cameraOff')}
          active={cameraOff}
          testId="call-camera"
          onClick={() => void toggleCamera()}
        />
      )}
      <ControlButton
        icon={<SoundOutlined />}
        label={speakerOn ? t('speakerOn') : t('speakerOff')}
        active={!speakerOn}
        testId="call-speaker"
        onClick={toggleSpeaker}
      />
      {media === 'video' && cameras > 1 && (
        <ControlButton
          icon={<RetweetOutlined />}
          label={t('switchCamera')}
          testId="call-switch-camera"
          onClick={() => void switchCamera()}
        />
      )}
      {live && (
        <ControlButton
          icon={<SwapOutlined />}
          label={media === 'video' ? t('toVoice') : t('toVideo')}
          testId="call-switch-media"
          onClick={() => void switchMedia()}
        />
      )}
      {media === 'video' && (
        <ControlButton
          icon={<FullscreenOutlined />}
          label={t('fullscreen')}
          testId="call-fullscreen"
          onClick={() => void toggleFullscreen(stage.current)}
        />
      )}
      <ControlButton
        icon={<PhoneOutlined className="zx-icon-hangup" />}
        label={phase === 'outgoing' ? t('cancel') : t('hangUp')}
        tone="danger"
        testId="call-hangup"
        onClick={() => void hangUp()}
      />
    </div>
  );
}

/** The call screen: remote video full, my picture in picture, the peer's name, status and controls. */
export function CallScreen() {
  const { t } = useTranslation('calls');
  const stage = useRef<HTMLDivElement>(null);
  const { phase, peerId, media, localStream, remoteStream, remoteVersion, speakerOn, cameraOff } =
    useCallView();
  const name = useDisplayName(peerId);
  const video = media === 'video';
  const remoteHasVideo = !!remoteStream?.getVideoTracks().some((track) => track.readyState === 'live');
  const showRemote = video && (phase === 'active' || phase === 'connecting') && remoteHasVideo;
  return (
    <div
      className={`zx-call ${video ? 'zx-call-video' : 'zx-call-voice'}`}
      data-testid="call-screen"
      ref={stage}
    >
      <VideoView
        stream={remoteStream}
        version={remoteVersion}
        speakerOn={speakerOn}
        className="zx-call-remote"
        testId="call-remote-video"
        showVideo={showRemote}
      />
      {video && localStream && !cameraOff && (
        <VideoView
          stream={localStream}
          local
          className={showRemote ? 'zx-call-local' : 'zx-call-local zx-call-local-full'}
          testId="call-local-video"
        />
      )}
      <div className="zx-call-top">
        <button
          type="button"
          className="zx-call-minimize"
          aria-label={t('minimize')}
          data-testid="call-minimize"
          onClick={() => setMinimized(true)}
        >
          <CompressOutlined />
        </button>
      </div>
      {!showRemote && (
        <div className="zx-call-peer">
          <UserAvatar userId={peerId ?? ''} size={96} />
          <div className="zx-call-name" data-testid="call-peer-name">
            {name}
          </div>
          <Status />
        </div>
      )}
      {showRemote && (
        <div className="zx-call-heading">
          <span className="zx-call-heading-name">{name}</span>
          <Status />
        </div>
      )}
      <div className="zx-call-bottom">
        {phase === 'incoming' ? <IncomingControls /> : phase !== 'ended' && <InCallControls stage={stage} />}
      </div>
    </div>
  );
}

/** The call shrunk to a pill (to read the chat meanwhile); tap to return. */
export function CallPill() {
  const { t } = useTranslation('calls');
  const { phase, connectedAt } = useCallView();
  const elapsed = useElapsed(phase === 'active' ? connectedAt : null);
  return (
    <button
      type="button"
      className="zx-call-pill"
      data-testid="call-pill"
      onClick={() => setMinimized(false)}
    >
      <PhoneOutlined /> {elapsed || t('restore')}
    </button>
  );
}
