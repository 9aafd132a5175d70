import type { Conversation } from '@zhixin/sdk';
import type { ClipboardEvent } from 'react';
import { nameForPaste, useSendFiles } from './useSendFiles.ts';

/** Files pasted into the composer (a screenshot, copied files) are sent like picked ones. */
export function usePasteFiles(c: Conversation, myId: string): (e: ClipboardEvent) => void {
  const send = useSendFiles(c, myId);
  return (e: ClipboardEvent) => {
    const files = Array.from(e.clipboardData.files);
    if (files.length === 0) return;
    e.preventDefault();
    void send(files.map((f) => ({ blob: f, name: nameForPaste(f) })));
  };
}
