import type { Conversation } from '@zhixin/sdk';
import { MAX_VOICE_MS } from '@zhixin/protocol';
import { useRef, useState, type PointerEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { useSendFiles } from '../composer/useSendFiles.ts';
import { formatDuration } from '../format.ts';
import { useRecorder, type RecorderError } from './useRecorder.ts';
import { voiceFileName } from './voice-name.ts';

/** Sliding the finger up this far turns "release to send" into "release to cancel". */
const CANCEL_DISTANCE_PX = 60;

interface Props {
  conversation: Conversation;
  myId: string;
}

/** Hold to talk (mobile): press to record, release to send, slide up and release to cancel. */
export function HoldToTalk({ conversation, myId }: Props) {
  const { t } = useTranslation('files');
  const feedback = useFeedback();
  const send = useSendFiles(conversation, myId);
  const startY = useRef(0);
  const [cancelling, setCancelling] = useState(false);
  const onError = (e: RecorderError) => feedback.error(t(`voice.errors.${e}`));
  const rec = useRecorder(
    (r) =>
      void send([
        { blob: r.blob, name: voiceFileName(r.blob.type), kind: 'voice', durationMs: r.durationMs },
      ]),
    onError,
  );
  const down = (e: PointerEvent<HTMLButtonElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    startY.current = e.clientY;
    setCancelling(false);
    void rec.start();
  };
  const move = (e: PointerEvent<HTMLButtonElement>) => {
    if (rec.state !== 'idle') setCancelling(startY.current - e.clientY > CANCEL_DISTANCE_PX);
  };
  const up = () => {
    rec.stop(!cancelling);
    setCancelling(false);
  };
  const active = rec.state !== 'idle';
  return (
    <>
      <button
        type="button"
        className={active ? 'zx-hold-talk zx-hold-talk-active' : 'zx-hold-talk'}
        data-testid="voice-hold"
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={() => rec.stop(false)}
        onContextMenu={(e) => e.preventDefault()}
      >
        {active ? t('voice.releaseToSend') : t('voice.hold')}
      </button>
      {active &&
        createPortal(
          <div
            className={cancelling ? 'zx-voice-overlay zx-voice-overlay-cancel' : 'zx-voice-overlay'}
            data-testid="voice-recorder"
          >
            <canvas ref={rec.canvasRef} className="zx-voice-wave" width={200} height={48} />
            <div className="zx-voice-time" data-testid="voice-elapsed">
              {formatDuration(rec.elapsedMs)} / {formatDuration(MAX_VOICE_MS)}
            </div>
            <div className="zx-voice-hint">
              {cancelling ? t('voice.releaseToCancel') : t('voice.slideToCancel')}
            </div>
          </div>,
          document.body,
        )}
    </>
  );
}
