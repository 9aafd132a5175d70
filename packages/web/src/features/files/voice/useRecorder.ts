import { MAX_VOICE_MS } from '@zhixin/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';

/** Shorter recordings are taps, not messages. */
export const MIN_VOICE_MS = 1_000;
const PREFERRED_MIME = 'audio/webm;codecs=opus';

export type RecorderState = 'idle' | 'starting' | 'recording';
export type RecorderError = 'denied' | 'unsupported' | 'tooShort';

export interface Recording {
  blob: Blob;
  durationMs: number;
}

interface Session {
  stream: MediaStream;
  recorder: MediaRecorder;
  context: AudioContext;
  analyser: AnalyserNode;
  startedAt: number;
  chunks: Blob[];
  send: boolean;
  frame: number;
  timer: ReturnType<typeof setTimeout>;
}

/** Draw the live input level as a scrolling bar waveform. */
function draw(canvas: HTMLCanvasElement | null, analyser: AnalyserNode, history: number[]): void {
  const samples = new Uint8Array(analyser.fftSize);
  analyser.getByteTimeDomainData(samples);
  let sum = 0;
  for (const s of samples) sum += ((s - 128) / 128) ** 2;
  history.push(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  const bars = Math.floor(canvas.width / 4);
  while (history.length > bars) history.shift();
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1677ff';
  history.forEach((level, i) => {
    const h = Math.max(2, level * canvas.height);
    ctx.fillRect(i * 4, (canvas.height - h) / 2, 2, h);
  });
}

/**
 * Record a voice message with MediaRecorder (Opus in WebM where supported): a live waveform on the
 * given canvas, the elapsed time, and an automatic stop (and send) at the 60-second limit.
 */
export function useRecorder(onRecorded: (r: Recording) => void, onError: (e: RecorderError) => void) {
  const [state, setState] = useState<RecorderState>('idle');
  const [elapsedMs, setElapsedMs] = useState(0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const session = useRef<Session | null>(null);
  const callbacks = useRef({ onRecorded, onError });
  callbacks.current = { onRecorded, onError };

  const stop = useCallback((send: boolean) => {
    const s = session.current;
    if (!s) return;
    s.send = send;
    if (s.recorder.state !== 'inactive') s.recorder.stop();
  }, []);

  const start = useCallback(async () => {
    if (session.current || typeof MediaRecorder === 'undefined' || !navigator.mediaDevices) {
      if (!session.current) callbacks.current.onError('unsupported');
      return;
    }
    setState('starting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      setState('idle');
      return callbacks.current.onError('denied');
    }
    const mimeType = MediaRecorder.isTypeSupported(PREFERRED_MIME) ? PREFERRED_MIME : '';
    const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : undefined);
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const history: number[] = [];
    const s: Session = {
      stream,
      recorder,
      context,
      analyser,
      startedAt: performance.now(),
      chunks: [],
      send: false,
      frame: 0,
      timer: setTimeout(() => stop(true), MAX_VOICE_MS),
    };
    const tick = () => {
      draw(canvasRef.current, analyser, history);
      setElapsedMs(Math.min(MAX_VOICE_MS, performance.now() - s.startedAt));
      s.frame = requestAnimationFrame(tick);
    };
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) s.chunks.push(e.data);
    };
    recorder.onstop = () => {
      const durationMs = Math.min(MAX_VOICE_MS, Math.round(performance.now() - s.startedAt));
      cancelAnimationFrame(s.frame);
      clearTimeout(s.timer);
      stream.getTracks().forEach((t) => t.stop());
      void context.close();
      session.current = null;
      setState('idle');
      setElapsedMs(0);
      if (!s.send) return;
      if (durationMs < MIN_VOICE_MS) return callbacks.current.onError('tooShort');
      const type = recorder.mimeType.split(';')[0] || 'audio/webm';
      callbacks.current.onRecorded({ blob: new Blob(s.chunks, { type }), durationMs });
    };
    session.current = s;
    recorder.start(250);
    setState('recording');
    s.frame = requestAnimationFrame(tick);
  }, [stop]);

  // Leaving the chat mid-recording throws the recording away and frees the microphone.
  useEffect(() => () => stop(false), [stop]);

  return { state, elapsedMs, canvasRef, start, stop };
}
