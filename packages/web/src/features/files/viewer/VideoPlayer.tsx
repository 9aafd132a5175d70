import { CloseOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { client } from '../../../app/client.ts';
import { fileLink } from '../links.ts';
import { isExpiredError } from '../media-cache.ts';
import { closeViewer } from './viewer-store.ts';

/** Plays a video from a signed link (the server answers Range requests, so seeking works) with native controls. */
export function VideoPlayer({ conversationId, fileId }: { conversationId: string; fileId: string }) {
  const { t } = useTranslation('files');
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState<'expired' | 'error' | null>(null);
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
