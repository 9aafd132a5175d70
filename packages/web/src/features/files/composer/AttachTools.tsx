import type { Conversation } from '@zhixin/sdk';
import { AudioOutlined, FolderOpenOutlined, PictureOutlined } from '@ant-design/icons';
import { useRef, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DesktopVoiceRecorder } from '../voice/DesktopVoiceRecorder.tsx';
import { useSendFiles } from './useSendFiles.ts';
import '../files.css';

interface Props {
  conversation: Conversation;
  myId: string;
}

/** Hidden file inputs and the buttons that open them: any file, or images and videos. */
export function useFilePickers(c: Conversation, myId: string, onPicked?: () => void) {
  const send = useSendFiles(c, myId);
  const fileRef = useRef<HTMLInputElement>(null);
  const mediaRef = useRef<HTMLInputElement>(null);
  const onPick = (e: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(e.target.files ?? []);
    e.target.value = '';
    onPicked?.();
    void send(files.map((f) => ({ blob: f, name: f.name })));
  };
  const inputs = (
    <>
      <input ref={fileRef} type="file" multiple hidden data-testid="attach-file-input" onChange={onPick} />
      <input
        ref={mediaRef}
        type="file"
        multiple
        hidden
        accept="image/*,video/*"
        data-testid="attach-media-input"
        onChange={onPick}
      />
    </>
  );
  return {
    inputs,
    pickFile: () => fileRef.current?.click(),
    pickMedia: () => mediaRef.current?.click(),
  };
}

/** The desktop composer's file buttons: a file, images/videos, a voice message. */
export function DesktopAttachTools({ conversation, myId }: Props) {
  const { t } = useTranslation('files');
  const pickers = useFilePickers(conversation, myId);
  return (
    <>
      {pickers.inputs}
      <button
        type="button"
        className="zx-icon-button"
        data-testid="composer-attach-media"
        aria-label={t('attach.media')}
        title={t('attach.media')}
        onClick={pickers.pickMedia}
      >
        <PictureOutlined />
      </button>
      <button
        type="button"
        className="zx-icon-button"
        data-testid="composer-attach-file"
        aria-label={t('attach.file')}
        title={t('attach.file')}
        onClick={pickers.pickFile}
      >
        <FolderOpenOutlined />
      </button>
      <DesktopVoiceRecorder conversation={conversation} myId={myId}>
        {(start) => (
          <button
            type="button"
            className="zx-icon-button"
            data-testid="composer-voice"
            aria-label={t('voice.record')}
            title={t('voice.record')}
            onClick={start}
          >
            <AudioOutlined />
          </button>
        )}
      </DesktopVoiceRecorder>
    </>
  );
}
