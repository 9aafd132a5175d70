import { useEffect, useRef } from 'react';
import { applySpeaker } from './media/devices.ts';

interface Props {
  stream: MediaStream | null;
  /** Bump when the stream's tracks change (streams are mutated in place). */
  version?: number;
  /** My own picture: no sound, mirrored. */
  local?: boolean;
  /** Speaker on (default output, full volume) or earpiece mode. */
  speakerOn?: boolean;
  className?: string;
  testId?: string;
  /** Told the rendered height (CSS px) whenever it changes: the receiver picks its layer by it. */
  onHeight?: (height: number) => void;
  /** Whether to draw video (false for voice: an <audio>-like hidden element still plays the sound). */
  showVideo?: boolean;
}

/** A <video> bound to a MediaStream. */
export function VideoView({
  stream,
  version = 0,
  local = false,
  speakerOn = true,
  className,
  testId,
  onHeight,
  showVideo = true,
}: Props) {
  const ref = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) void el.play().catch(() => undefined);
  }, [stream, version]);

  useEffect(() => {
    const el = ref.current;
    if (el && !local) void applySpeaker(el, speakerOn);
  }, [speakerOn, local]);

  useEffect(() => {
    const el = ref.current;
    if (!el || !onHeight || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) onHeight(Math.round(entry.contentRect.height));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [onHeight]);

  return (
    <video
      ref={ref}
      className={[className, local ? 'zx-video-mirror' : '', showVideo ? '' : 'zx-video-hidden']
        .filter(Boolean)
        .join(' ')}
      data-testid={testId}
      autoPlay
      playsInline
      muted={local}
    />
  );
}
