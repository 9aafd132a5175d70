import { CloseOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { fileLink } from '../links.ts';
import { isExpiredError } from '../media-cache.ts';
import { closeViewer } from './viewer-store.ts';

/**
 * Plays a video from a signed link (the server answers Range requests, so seeking works) with native
 * controls, and a full-screen button of its own (phones' native controls may not show one).
 */
export function VideoPlayer({ conversationId, fileId }: { conversationId: string; fileId: string }) {
  const { t } = useTranslation('files');
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState<'expired' | 'error' | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const fullScreen = () => {
    // Refused (no user gesture, or not allowed in an iframe): the native controls still work.
    video.current?.requestFullscreen().catch(() => undefined);
  };
  useEffect(() => {
    let live = true;
    fileLink({ fileId, conversationId })
      .then((link) => live && setSrc(client.downloads.resolve(link.url)))
      .catch((err: unknown) => live && setFailed(isExpiredError(err) ? 'expired' : 'error'));
    return () => {
      live = false;
    };
  }, [fileId, conversationId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !document.fullscreenElement && closeViewer();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return createPortal(
    <div className="zx-viewer" data-testid="video-player" role="dialog" aria-label={t('kind.video')}>
      <div className="zx-viewer-stage">
        {src && (
          <video
            ref={video}
            className="zx-viewer-video"
            src={src}
            controls
            autoPlay
            playsInline
            data-testid="video-element"
          />
        )}
        {failed && (
          <div className="zx-viewer-note">{failed === 'expired' ? t('expired') : t('loadFailed')}</div>
        )}
      </div>
      <div className="zx-viewer-toolbar">
        {src && (
          <button
            type="button"
            className="zx-viewer-tool"
            data-testid="video-fullscreen"
            aria-label={t('viewer.fullscreen')}
            title={t('viewer.fullscreen')}
            onClick={fullScreen}
          >
            <FullscreenOutlined />
          </button>
        )}
        <button
          type="button"
          className="zx-viewer-tool"
          data-testid="viewer-close"
          aria-label={t('viewer.close')}
          onClick={closeViewer}
        >
          <CloseOutlined />
        </button>
      </div>
    </div>,
    document.body,
  );
}
