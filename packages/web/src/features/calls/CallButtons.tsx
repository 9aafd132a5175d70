import { PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { App } from 'antd';
import { ZhixinError, type Conversation } from '@zhixin/sdk';
import { useTranslation } from 'react-i18next';
import { startCall } from './call-controller.ts';
import { useCallView } from './call-store.ts';

/** Voice and video call buttons in a direct chat's header (not in the chat with myself). */
export function CallButtons({ conversation, myId }: { conversation: Conversation; myId: string }) {
  const { t } = useTranslation(['calls', 'meetings']);
  const { message } = App.useApp();
  const busy = useCallView((s) => s.phase !== 'idle' && s.phase !== 'ended');
  const peerId = conversation.kind === 'direct' ? conversation.peerId : null;
  if (!peerId || peerId === myId) return null;
  const call = (media: 'audio' | 'video') =>
    startCall(conversation.id, peerId, media).catch((err: unknown) => {
      const code = ZhixinError.from(err).code;
      const known = t(`meetings:errors.${code}`, { defaultValue: '' });
      void message.error(known || t('errors.failed', { message: ZhixinError.from(err).message }));
    });
  return (
    <>
      <button
        type="button"
        className="zx-icon-button"
        data-testid="call-voice"
        aria-label={t('voiceCall')}
        title={t('voiceCall')}
        disabled={busy}
        onClick={() => void call('audio')}
      >
        <PhoneOutlined />
      </button>
      <button
        type="button"
        className="zx-icon-button"
        data-testid="call-video"
        aria-label={t('videoCall')}
        title={t('videoCall')}
        disabled={busy}
        onClick={() => void call('video')}
      >
        <VideoCameraOutlined />
      </button>
    </>
  );
}
