import type { Conversation } from '@zhixin/sdk';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { isSelfChat, useFeedback } from '../../chats/hooks.ts';
import { confirmDisclaimer, filePolicy } from '../disclaimer/disclaimer-store.ts';
import { formatBytes } from '../format.ts';
import { enqueueUpload } from '../uploads/upload-runner.ts';
import type { UploadKind } from '../uploads/upload-queue.ts';

export interface OutgoingFile {
  blob: Blob;
  name: string;
  kind?: UploadKind;
  durationMs?: number;
}

/** A name for pasted content, which has none (e.g. a screenshot): 图片-20260129-143005.png. */
export function nameForPaste(file: File, at = new Date()): string {
  if (file.name && file.name !== 'image.png') return file.name;
  const ext = file.type.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return `${file.type.startsWith('image/') ? 'image' : 'file'}-${stamp}.${ext}`;
}

/**
 * Send files into a chat: refuse those over the size limit, ask for the disclaimer once for the
 * batch when it applies (Cancel sends nothing), then queue each as an upload.
 */
export function useSendFiles(c: Conversation, myId: string): (files: OutgoingFile[]) => Promise<void> {
  const { t } = useTranslation('files');
  const feedback = useFeedback();
  return useCallback(
    async (files: OutgoingFile[]) => {
      if (files.length === 0) return;
      let maxBytes: number;
      let version: number | null;
      try {
        const policy = await filePolicy();
        maxBytes = policy.maxFileBytes;
        const answer = await confirmDisclaimer(policy.disclaimer, isSelfChat(c, myId));
        if (answer === false) return;
        version = answer;
      } catch {
        return feedback.error(t('errors.policy'));
      }
      for (const file of files) {
        if (file.blob.size === 0) {
          feedback.error(t('errors.empty', { name: file.name }));
          continue;
        }
        if (file.blob.size > maxBytes) {
          feedback.error(t('errors.tooLarge', { name: file.name, max: formatBytes(maxBytes) }));
          continue;
        }
        await enqueueUpload({ conversationId: c.id, disclaimerVersion: version, ...file });
      }
    },
    [c, myId, feedback, t],
  );
}
