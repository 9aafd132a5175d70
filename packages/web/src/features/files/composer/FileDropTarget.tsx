import type { Conversation } from '@zhixin/sdk';
import { CloudUploadOutlined } from '@ant-design/icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSendFiles } from './useSendFiles.ts';

interface Props {
  conversation: Conversation;
  myId: string;
}

const carriesFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

/**
 * Makes the element it is placed in (the chat) a drop target for files, with a hint over it while
 * files are dragged in. Dropped files are sent like picked ones.
 */
export function FileDropTarget({ conversation, myId }: Props) {
  const { t } = useTranslation('files');
  const send = useSendFiles(conversation, myId);
  const ref = useRef<HTMLDivElement>(null);
  const [over, setOver] = useState(false);
  const sendRef = useRef(send);
  sendRef.current = send;

  useEffect(() => {
    const host = ref.current?.parentElement;
    if (!host) return;
    const onOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      // Moving onto a child element is not leaving the chat.
      if (!host.contains(e.relatedTarget as Node | null)) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      setOver(false);
      const files = Array.from(e.dataTransfer?.files ?? []);
      void sendRef.current(files.map((f) => ({ blob: f, name: f.name })));
    };
    host.addEventListener('dragover', onOver);
    host.addEventListener('dragleave', onLeave);
    host.addEventListener('drop', onDrop);
    return () => {
      host.removeEventListener('dragover', onOver);
      host.removeEventListener('dragleave', onLeave);
      host.removeEventListener('drop', onDrop);
    };
  }, []);

  return (
    <div ref={ref} className={over ? 'zx-drop-hint zx-drop-hint-on' : 'zx-drop-hint'} aria-hidden={!over}>
      {over && (
        <span>
          <CloudUploadOutlined /> {t('attach.drop')}
        </span>
      )}
    </div>
  );
}
