import type { UploadHandle } from '@zhixin/sdk';
import { client } from '../../../app/client.ts';

export type RunningUpload = UploadHandle;

export interface StartUploadInput {
  blob: Blob;
  name: string;
  mime: string;
  conversationId: string;
  /** The whole file's sha256 when the browser could compute it: the server refuses a mismatch. */
  sha256: string | null;
  onProgress: (sent: number, total: number) => void;
}

/**
 * Start an upload through the SDK's tus uploader. The same file again (same user, chat, name and
 * content fingerprint), e.g. after a reload, resumes the unfinished upload on the server.
 */
export function startUpload(input: StartUploadInput): RunningUpload {
  return client.files.upload(input.blob, {
    name: input.name,
    mime: input.mime,
    conversationId: input.conversationId,
    ...(input.sha256 ? { sha256: input.sha256 } : {}),
    onProgress: ({ bytesSent, bytesTotal }) => input.onProgress(bytesSent, bytesTotal),
  });
}
