import type { FileInfo } from '@zhixin/protocol';
import { client } from '../../../app/client.ts';

/** What the uploader needs of the SDK's upload handle (`client.files.upload`). */
export interface RunningUpload {
  pause(): void;
  resume(): void;
  abort(): void | Promise<void>;
  /** The file once the server has all of it. */
  promise: Promise<FileInfo>;
}

export interface StartUploadInput {
  blob: Blob;
  name: string;
  mime: string;
  conversationId: string;
  onProgress: (sent: number, total: number) => void;
}

/** Start (or, for the same content after a reload, resume) an upload through the SDK's tus uploader. */
export function startUpload(input: StartUploadInput): RunningUpload {
  return client.files.upload(input.blob, {
    name: input.name,
    mime: input.mime,
    conversationId: input.conversationId,
    onProgress: input.onProgress,
  });
}
