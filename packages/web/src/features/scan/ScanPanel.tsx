import { PictureOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCodeErrorText } from '../codes/useCodeErrorText.ts';
import { decodeImageFile, decodeVideoFrame, looksLikeCode } from './decode.ts';
import { QuickLoginConfirm } from './QuickLoginConfirm.tsx';
import { useActOnCode, type ScanOutcome } from './useActOnCode.ts';
import './scan.css';

/** How often the camera picture is searched for a QR code. */
const FRAME_MS = 250;

type Camera = 'starting' | 'on' | 'unavailable';

/** Keeps the camera running (when there is one) and reports each decoded text once. */
function useCamera(
  video: React.RefObject<HTMLVideoElement | null>,
  paused: boolean,
  onText: (text: string) => void,
) {
  const [camera, setCamera] = useState<Camera>('starting');
  useEffect(() => {
    if (paused) return;
    let stream: MediaStream | null = null;
    let timer: number | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const tick = async () => {
      const el = video.current;
      const text = el ? await decodeVideoFrame(el, canvas).catch(() => null) : null;
      if (stopped) return;
      if (text) onText(text);
      else timer = window.setTimeout(() => void tick(), FRAME_MS);
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API');
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: 'environment' },
        audio: false,
      });
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play();
      setCamera('on');
      void tick();
    })().catch(() => !stopped && setCamera('unavailable'));
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [video, paused, onText]);
  return camera;
}

interface ScanPanelProps {
  /** The code opened another screen (a dialog around the panel should close). */
  onNavigated?: () => void;
  /** A desktop login was allowed or declined. */
  onFinished?: () => void;
}

/**
 * "扫一扫": the camera (getUserMedia) or a picture file, decoded by the browser's BarcodeDetector or
 * jsQR, then acted on (see useActOnCode). A desktop-login code asks for confirmation here.
 */
export function ScanPanel({ onNavigated, onFinished }: ScanPanelProps) {
  const { t } = useTranslation('codes');
  const errorText = useCodeErrorText();
  const act = useActOnCode();
  const video = useRef<HTMLVideoElement>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);

  const handle = useCallback(
    async (text: string | null) => {
      if (!text) return setMessage({ text: t('scan.notFound'), error: true });
      if (!looksLikeCode(text)) return setMessage({ text: t('scan.notOurs'), error: true });
      setBusy(true);
      setMessage({ text: t('scan.resolving'), error: false });
      try {
        const done = await act(text.trim());
        setOutcome(done);
        setMessage(null);
        if (done.kind === 'navigated') onNavigated?.();
      } catch (err) {
        setMessage({ text: errorText(err), error: true });
      } finally {
        setBusy(false);
      }
    },
    [act, errorText, onNavigated, t],
  );
  const onCameraText = useCallback((text: string) => void handle(text), [handle]);
  const camera = useCamera(video, busy || outcome !== null, onCameraText);

  if (outcome?.kind === 'login')
    return (
      <QuickLoginConfirm
        login={outcome.login}
        onDone={() => (onFinished ? onFinished() : setOutcome(null))}
      />
    );

  return (
    <div className="zx-scan">
      <div className="zx-scan-view">
        <video ref={video} className="zx-scan-video" muted playsInline hidden={camera !== 'on'} />
        {camera === 'on' && <div className="zx-scan-frame" aria-hidden />}
        {camera !== 'on' && (
          <p className="zx-scan-nocam">{camera === 'starting' ? t('scan.cameraHint') : t('scan.noCamera')}</p>
        )}
      </div>
      {camera === 'on' && <p className="zx-code-meta">{t('scan.cameraHint')}</p>}
      <label className="zx-scan-file">
        <PictureOutlined /> {t('scan.pickImage')}
        <input
          type="file"
          accept="image/*"
          className="zx-scan-file-input"
          data-testid="scan-file-input"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void decodeImageFile(file).then(handle, () => handle(null));
          }}
        />
      </label>
      {message && (
        <div
          className={message.error ? 'zx-scan-result zx-scan-result-error' : 'zx-scan-result'}
          data-testid="scan-result"
          role={message.error ? 'alert' : 'status'}
        >
          {message.text}
        </div>
      )}
    </div>
  );
}
