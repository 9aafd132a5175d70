import {
  CameraOutlined,
  CloseOutlined,
  PlayCircleFilled,
  PlusOutlined,
  ScissorOutlined,
} from '@ant-design/icons';
import { Progress } from 'antd';
import { MOMENT_IMAGES_MAX } from '@zhixin/protocol';
import { useRef, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useMediaSrc } from '../media.ts';
import type { Attachment } from './useAttachments.ts';

interface Props {
  items: readonly Attachment[];
  mobile: boolean;
  onPick: (files: File[]) => void;
  onCrop: (a: Attachment) => void;
  onRemove: (a: Attachment) => void;
}

function TilePicture({ a }: { a: Attachment }) {
  const uploaded = useMediaSrc(a.previewUrl ? null : { fileId: a.fileId ?? '', variant: 'thumbnail' });
  const src = a.previewUrl ?? (uploaded.status === 'ready' ? uploaded.src : null);
  if (!src) return <span className="zx-mo-tile-blank" />;
  if (a.kind === 'video' && a.previewUrl)
    return <video className="zx-mo-tile-media" src={src} muted playsInline preload="metadata" />;
  return <img className="zx-mo-tile-media" src={src} alt="" draggable={false} />;
}

/** The picked pictures (or video) as tiles with upload progress, crop and remove; then "add". */
export function AttachmentGrid({ items, mobile, onPick, onCrop, onRemove }: Props) {
  const { t } = useTranslation('moments');
  const albumRef = useRef<HTMLInputElement>(null);
  const cameraRef = useRef<HTMLInputElement>(null);
  const full = items.length >= MOMENT_IMAGES_MAX || items.some((a) => a.kind === 'video');
  const picked = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    if (files.length) onPick(files);
  };
  return (
    <div className="zx-mo-tiles" data-testid="composer-media">
      {items.map((a) => (
        <div
          key={a.localId}
          className="zx-mo-tile"
          data-testid="composer-tile"
          data-status={a.status}
          data-file-id={a.fileId ?? ''}
        >
          <TilePicture a={a} />
          {a.kind === 'video' && <PlayCircleFilled className="zx-mo-tile-play" />}
          {a.status === 'uploading' && (
            <span className="zx-mo-tile-progress">
              <Progress type="circle" size={40} percent={Math.round(a.progress * 100)} strokeColor="#fff" />
            </span>
          )}
          {a.status === 'error' && (
            <span className="zx-mo-tile-error">
              {t(`errors.${a.errorCode ?? 'generic'}`, t('uploadFailed'))}
            </span>
          )}
          {a.kind === 'image' && a.file && (
            <button
              type="button"
              className="zx-mo-tile-crop"
              data-testid="tile-crop"
              aria-label={t('crop.title')}
              title={t('crop.title')}
              onClick={() => onCrop(a)}
            >
              <ScissorOutlined />
            </button>
          )}
          <button
            type="button"
            className="zx-mo-tile-remove"
            data-testid="tile-remove"
            aria-label={t('composer.removeMedia')}
            onClick={() => onRemove(a)}
          >
            <CloseOutlined />
          </button>
        </div>
      ))}
      {!full && (
        <button
          type="button"
          className="zx-mo-tile zx-mo-tile-add"
          data-testid="composer-add-media"
          aria-label={t('composer.addMedia')}
          onClick={() => albumRef.current?.click()}
        >
          <PlusOutlined />
          <span>
            {items.length === 0 ? t('composer.addMediaHint') : `${items.length}/${MOMENT_IMAGES_MAX}`}
          </span>
        </button>
      )}
      {!full && mobile && (
        <button
          type="button"
          className="zx-mo-tile zx-mo-tile-add"
          data-testid="composer-camera"
          onClick={() => cameraRef.current?.click()}
        >
          <CameraOutlined />
          <span>{t('composer.camera')}</span>
        </button>
      )}
      <input
        ref={albumRef}
        type="file"
        accept="image/*,video/*"
        multiple
        hidden
        data-testid="composer-file-input"
        onChange={picked}
      />
      <input
        ref={cameraRef}
        type="file"
        accept="image/*"
        capture="environment"
        hidden
        data-testid="composer-camera-input"
        onChange={picked}
      />
    </div>
  );
}
