import { PauseCircleFilled, PlayCircleFilled } from '@ant-design/icons';
import { MAX_VOICE_MS } from '@zhixin/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../format.ts';
import { toggleVoice, useVoicePlayer } from '../voice/voice-player.ts';
import { waveformOf } from '../voice/waveform.ts';
import { ExpiredCard } from './ExpiredCard.tsx';
import type { VoiceMessageContent } from './kinds.ts';
import { useInView } from './useInView.ts';
import { useMediaUrl } from './useMediaUrl.ts';

interface Props {
  content: VoiceMessageContent;
  conversationId: string;
}

/** A voice message: wider the longer it is, its waveform and duration; click plays (one at a time). */
export function VoiceBubble({ content, conversationId }: Props) {
  const { t } = useTranslation('files');
  const [ref, seen] = useInView<HTMLButtonElement>();
  const media = useMediaUrl(content.fileId, conversationId, ['original'], seen);
  const [peaks, setPeaks] = useState<number[] | null>(null);
  const playing = useVoicePlayer((s) => s.playing === content.fileId);
  const progress = useVoicePlayer((s) => (s.playing === content.fileId ? s.progress : 0));
  const blob = media.status === 'ready' ? media.blob : null;
  useEffect(() => {
    if (!blob) return;
    let live = true;
    waveformOf(content.fileId, blob)
      .then((p) => live && setPeaks(p))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [blob, content.fileId]);
  if (media.status === 'expired') return <ExpiredCard label={t('kind.voice')} />;
  // Longer messages get wider bubbles (room for the 24 bars at the shortest).
  const width = 140 + Math.round((Math.min(content.durationMs, MAX_VOICE_MS) / MAX_VOICE_MS) * 100);
  const played = peaks ? Math.floor(progress * peaks.length) : 0;
  return (
    <button
      ref={ref}
      type="button"
      className={playing ? 'zx-voice-bubble zx-voice-bubble-playing' : 'zx-voice-bubble'}
      data-testid="voice-bubble"
      data-duration-ms={content.durationMs}
      style={{ width }}
      aria-label={t('voice.label', { duration: formatDuration(content.durationMs) })}
      disabled={media.status !== 'ready'}
      onClick={() => media.status === 'ready' && toggleVoice(content.fileId, media.url)}
    >
      {playing ? <PauseCircleFilled /> : <PlayCircleFilled />}
      <span className="zx-voice-bars" aria-hidden data-testid="voice-waveform">
        {(peaks ?? []).map((p, i) => (
          <span
            key={i}
            className={i < played ? 'zx-voice-bar zx-voice-bar-played' : 'zx-voice-bar'}
            style={{ height: `${Math.max(12, p * 100)}%` }}
          />
        ))}
      </span>
      <span className="zx-voice-duration" data-testid="voice-duration">
        {Math.max(1, Math.round(content.durationMs / 1000))}″
      </span>
    </button>
  );
}
