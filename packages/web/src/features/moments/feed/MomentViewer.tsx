import {
  CloseOutlined,
  LeftOutlined,
  RightOutlined,
  RotateRightOutlined,
  ZoomInOutlined,
  ZoomOutOutlined,
} from '@ant-design/icons';
import { useEffect, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { usePanZoom } from '../../files/viewer/usePanZoom.ts';
import '../../files/files.css';
import { useMediaSrc } from '../media.ts';
import {
  closeMomentViewer,
  openMomentViewer,
  useMomentViewer,
  type MomentViewerTarget,
} from './viewer-store.ts';

function Stage({ target }: { target: MomentViewerTarget }) {
  const { t } = useTranslation('moments');
  const item = target.media[target.index];
  const video = item?.kind === 'video';
  const original = useMediaSrc(item ? { fileId: item.fileId } : null);
  const pz = usePanZoom();
  const { reset } = pz;
  useEffect(reset, [target.index, reset]);
  const go = (step: number) => {
    const index = target.index + step;
    if (index >= 0 && index < target.media.length) openMomentViewer({ ...target, index });
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeMomentViewer();
      else if (e.key === 'ArrowLeft') go(-1);
      else if (e.key === 'ArrowRight') go(1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  const src = original.status === 'ready' ? original.src : null;
  const tool = (testId: string, label: string, icon: ReactNode, onClick: () => void) => (
    <button
      type="button"
      className="zx-viewer-tool"
      data-testid={testId}
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      {icon}
    </button>
  );
  return (
    <div
      className="zx-viewer"
      data-testid={video ? 'moment-video-player' : 'moment-viewer'}
      role="dialog"
      aria-label={t('viewer.title')}
    >
      <div className="zx-viewer-stage" {...(video ? {} : pz.handlers)}>
        {src && video && (
          <video
            className="zx-viewer-video"
            src={src}
            controls
            autoPlay
            playsInline
            data-testid="moment-video"
          />
        )}
        {src && !video && (
          <img
            className="zx-viewer-img"
            data-testid="moment-viewer-image"
            src={src}
            alt=""
            draggable={false}
            style={{ transform: pz.transform }}
          />
        )}
        {original.status === 'error' && <div className="zx-viewer-note">{t('loadFailed')}</div>}
      </div>
      {target.media.length > 1 && (
        <div className="zx-viewer-counter">
          {target.index + 1} / {target.media.length}
        </div>
      )}
      {target.index > 0 && (
        <button
          type="button"
          className="zx-viewer-nav zx-viewer-prev"
          aria-label={t('viewer.prev')}
          onClick={() => go(-1)}
        >
          <LeftOutlined />
        </button>
      )}
      {target.index < target.media.length - 1 && (
        <button
          type="button"
          className="zx-viewer-nav zx-viewer-next"
          aria-label={t('viewer.next')}
          onClick={() => go(1)}
        >
          <RightOutlined />
        </button>
      )}
      <div className="zx-viewer-toolbar">
        {!video &&
          tool('moment-viewer-zoom-out', t('viewer.zoomOut'), <ZoomOutOutlined />, () => pz.zoom(0.8))}
        {!video && tool('moment-viewer-zoom-in', t('viewer.zoomIn'), <ZoomInOutlined />, () => pz.zoom(1.25))}
        {!video &&
          tool('moment-viewer-rotate', t('viewer.rotate'), <RotateRightOutlined />, () => pz.rotate(90))}
        {tool('moment-viewer-close', t('viewer.close'), <CloseOutlined />, closeMomentViewer)}
      </div>
    </div>
  );
}

/** The full-screen picture viewer / video player of moments, over everything. */
export function MomentViewer() {
  const target = useMomentViewer((s) => s.target);
  useEffect(() => closeMomentViewer, []);
  if (!target) return null;
  return createPortal(<Stage target={target} />, document.body);
}
