import {
  CloseOutlined,
  DownloadOutlined,
  LeftOutlined,
  RightOutlined,
  RotateLeftOutlined,
  RotateRightOutlined,
  ExpandOutlined,
  ZoomInOutlined,
  ZoomOutOutlined,
} from '@ant-design/icons';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { useWindow } from '../../../data/messages.ts';
import { useFeedback } from '../../chats/hooks.ts';
import { downloadFile } from '../bubbles/download.ts';
import { useMediaUrl } from '../bubbles/useMediaUrl.ts';
import { usePanZoom } from './usePanZoom.ts';
import { closeViewer, openViewer } from './viewer-store.ts';

interface Props {
  conversationId: string;
  seq: number;
}

/** Full-screen image viewer: zoom, pan, rotate, download, and arrows between the chat's images. */
export function ImageViewer({ conversationId, seq }: Props) {
  const { t } = useTranslation('files');
  const feedback = useFeedback();
  const w = useWindow(conversationId);
  const images = useMemo(
    () =>
      w.messages.filter(
        (m) => m.content?.kind === 'image' && m.recalledAt === null && m.fileExpired !== true,
      ),
    [w.messages],
  );
  const index = images.findIndex((m) => m.seq === seq);
  const message = images[index];
  const content = message?.content?.kind === 'image' ? message.content : null;
  const thumb = useMediaUrl(content?.fileId ?? '', conversationId, ['thumbnail'], content !== null);
  const original = useMediaUrl(content?.fileId ?? '', conversationId, ['original'], content !== null);
  const pz = usePanZoom();
  const [saving, setSaving] = useState(false);
  const { reset } = pz;

  useEffect(reset, [seq, reset]);
  const go = (step: number) => {
    const next = images[index + step];
    if (next) openViewer({ kind: 'image', conversationId, seq: next.seq });
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeViewer();
      else if (e.key === 'ArrowLeft') go(-1);
      else if (e.key === 'ArrowRight') go(1);
      else if (e.key === '+' || e.key === '=') pz.zoom(1.25);
      else if (e.key === '-') pz.zoom(0.8);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!content) return null;
  const src = original.status === 'ready' ? original.url : thumb.status === 'ready' ? thumb.url : null;
  const save = () => {
    setSaving(true);
    const ext = content.mime.split('/')[1] ?? 'img';
    downloadFile(
      { fileId: content.fileId, name: `image-${message?.seq}.${ext}`, size: content.size },
      conversationId,
      () => undefined,
    )
      .catch(() => feedback.error(t('downloadFailed')))
      .finally(() => setSaving(false));
  };
  const tool = (testId: string, label: string, icon: ReactNode, onClick: () => void, disabled = false) => (
    <button
      type="button"
      className="zx-viewer-tool"
      data-testid={testId}
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
    >
      {icon}
    </button>
  );
  return createPortal(
    <div className="zx-viewer" data-testid="image-viewer" role="dialog" aria-label={t('viewer.title')}>
      <div className="zx-viewer-stage" {...pz.handlers}>
        {src && (
          <img
            className="zx-viewer-img"
            data-testid="viewer-image"
            data-scale={pz.view.scale.toFixed(2)}
            data-rotate={pz.view.rotate}
            data-full={original.status === 'ready' ? 'true' : 'false'}
            src={src}
            alt={t('kind.image')}
            draggable={false}
            style={{ transform: pz.transform }}
          />
        )}
        {original.status === 'expired' && <div className="zx-viewer-note">{t('expired')}</div>}
      </div>
      <div className="zx-viewer-counter" data-testid="viewer-counter">
        {index + 1} / {images.length}
      </div>
      {index > 0 && (
        <button
          type="button"
          className="zx-viewer-nav zx-viewer-prev"
          data-testid="viewer-prev"
          aria-label={t('viewer.prev')}
          onClick={() => go(-1)}
        >
          <LeftOutlined />
        </button>
      )}
      {index < images.length - 1 && (
        <button
          type="button"
          className="zx-viewer-nav zx-viewer-next"
          data-testid="viewer-next"
          aria-label={t('viewer.next')}
          onClick={() => go(1)}
        >
          <RightOutlined />
        </button>
      )}
      <div className="zx-viewer-toolbar">
        {tool('viewer-zoom-out', t('viewer.zoomOut'), <ZoomOutOutlined />, () => pz.zoom(0.8))}
        {tool('viewer-zoom-in', t('viewer.zoomIn'), <ZoomInOutlined />, () => pz.zoom(1.25))}
        {tool('viewer-rotate-left', t('viewer.rotateLeft'), <RotateLeftOutlined />, () => pz.rotate(-90))}
        {tool('viewer-rotate', t('viewer.rotateRight'), <RotateRightOutlined />, () => pz.rotate(90))}
        {tool('viewer-reset', t('viewer.reset'), <ExpandOutlined />, pz.reset)}
        {tool('viewer-download', t('download'), <DownloadOutlined />, save, saving)}
        {tool('viewer-close', t('viewer.close'), <CloseOutlined />, closeViewer)}
      </div>
    </div>,
    document.body,
  );
}
