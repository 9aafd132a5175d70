import type { Conversation } from '@zhixin/sdk';
import { MAX_VOICE_MS } from '@zhixin/protocol';
import { Button } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { useSendFiles } from '../composer/useSendFiles.ts';
import { formatDuration } from '../format.ts';
import { useRecorder, type RecorderError } from './useRecorder.ts';
import { voiceFileName } from './voice-name.ts';

interface Props {
  conversation: Conversation;
  myId: string;
  /** The button that starts recording. */
  children: (start: () => void) => ReactNode;
}

/** Click to record (desktop): a panel over the composer with the waveform, the time, cancel (Esc) and send. */
export function DesktopVoiceRecorder({ conversation, myId, children }: Props) {
  const { t } = useTranslation('files');
  const feedback = useFeedback();
  const send = useSendFiles(conversation, myId);
  const onError = (e: RecorderError) => feedback.error(t(`voice.errors.${e}`));
  const rec = useRecorder(
    (r) =>
      void send([
        { blob: r.blob, name: voiceFileName(r.blob.type), kind: 'voice', durationMs: r.durationMs },
      ]),
    onError,
  );
  const active = rec.state !== 'idle';
  const { stop } = rec;

  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') stop(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, stop]);

  return (
    <>
      {children(() => void rec.start())}
      {active && (
        <div
          className="zx-voice-panel"
          data-testid="voice-recorder"
          role="dialog"
          aria-label={t('voice.recording')}
        >
          <span className="zx-voice-dot" aria-hidden />
          <canvas ref={rec.canvasRef} className="zx-voice-wave" width={320} height={40} />
          <span className="zx-voice-time" data-testid="voice-elapsed">
            {formatDuration(rec.elapsedMs)} / {formatDuration(MAX_VOICE_MS)}
          </span>
          <span className="zx-voice-hint">{t('voice.escHint')}</span>
          <Button data-testid="voice-cancel" onClick={() => stop(false)}>
            {t('voice.cancel')}
          </Button>
          <Button
            type="primary"
            data-testid="voice-send"
            disabled={rec.state !== 'recording'}
            onClick={() => stop(true)}
          >
            {t('voice.send')}
          </Button>
        </div>
      )}
    </>
  );
}
