import { CloseOutlined, PauseOutlined, CaretRightOutlined, RedoOutlined } from '@ant-design/icons';
import { useRef, type ReactNode } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useFeedback } from '../../chats/hooks.ts';
import { FileIcon } from '../bubbles/FileIcon.tsx';
import { formatBytes, formatDuration } from '../format.ts';
import { cancelUpload, pauseUpload, provideFile, resumeUpload } from './upload-runner.ts';
import type { UploadView } from './uploads-store.ts';

function UploadControls({ u }: { u: UploadView }) {
  const { t } = useTranslation('files');
  const feedback = useFeedback();
  const pickRef = useRef<HTMLInputElement>(null);
  const button = (testId: string, label: string, icon: ReactNode, onClick: () => void) => (
    <button
      type="button"
      className="zx-upload-btn"
      data-testid={testId}
      aria-label={label}
      title={label}
      onClick={onClick}
    >
      {icon}
    </button>
  );
  return (
    <span className="zx-upload-controls">
      {u.state === 'uploading' &&
        button('upload-pause', t('upload.pause'), <PauseOutlined />, () => pauseUpload(u.id))}
      {u.state === 'paused' &&
        button('upload-resume', t('upload.resume'), <CaretRightOutlined />, () => void resumeUpload(u.id))}
      {u.state === 'failed' &&
        button('upload-retry', t('upload.retry'), <RedoOutlined />, () => void resumeUpload(u.id))}
      {u.state === 'needsFile' && (
        <>
          <input
            ref={pickRef}
            type="file"
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file)
                void provideFile(u.id, file).then((ok) => ok || feedback.error(t('upload.notSameFile')));
            }}
          />
          {button('upload-pick-again', t('upload.pickAgain'), <RedoOutlined />, () =>
            pickRef.current?.click(),
          )}
        </>
      )}
      {button('upload-cancel', t('upload.cancel'), <CloseOutlined />, () => void cancelUpload(u.id))}
    </span>
  );
}

function statusText(u: UploadView, t: TFunction<'files'>): string {
  switch (u.state) {
    case 'uploading':
      return `${formatBytes(u.loaded)} / ${formatBytes(u.size)}`;
    case 'paused':
      return t('upload.paused', { sent: formatBytes(u.loaded), size: formatBytes(u.size) });
    case 'processing':
      return t('upload.processing');
    case 'needsFile':
      return t('upload.needsFile');
    case 'failed':
      return t(`upload.errors.${u.error ?? 'UNKNOWN'}`, { defaultValue: t('upload.failed') });
  }
}

/** An outgoing file still uploading: preview or icon, name, progress, pause/resume and cancel. */
export function UploadBubble({ u }: { u: UploadView }) {
  const { t } = useTranslation('files');
  const percent = u.size > 0 ? Math.min(100, Math.round((u.loaded / u.size) * 100)) : 0;
  const title =
    u.kind === 'voice' ? t('voice.label', { duration: formatDuration(u.durationMs ?? 0) }) : u.name;
  return (
    <div className="zx-upload" data-testid="upload-item" data-state={u.state} data-kind={u.kind}>
      {u.previewUrl ? (
        <img className="zx-upload-preview" src={u.previewUrl} alt={u.name} />
      ) : (
        <FileIcon name={u.name} mime={u.mime} />
      )}
      <div className="zx-upload-body">
        <div className="zx-upload-name" title={u.name}>
          {title}
        </div>
        <div
          className="zx-upload-bar"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent}
          data-testid="upload-progress"
        >
          <span
            className={
              u.state === 'failed' ? 'zx-upload-bar-fill zx-upload-bar-failed' : 'zx-upload-bar-fill'
            }
            style={{ width: `${percent}%` }}
          />
        </div>
        <div
          className={u.state === 'failed' ? 'zx-upload-status zx-upload-status-failed' : 'zx-upload-status'}
        >
          {statusText(u, t)}
        </div>
      </div>
      <UploadControls u={u} />
    </div>
  );
}
