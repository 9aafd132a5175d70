import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { UploadKind } from './upload-queue.ts';

export type UploadState =
  /** Bytes are going up. */
  | 'uploading'
  | 'paused'
  /** All bytes are in; the server is checking the file (scanner, media facts). */
  | 'processing'
  | 'failed'
  /** After a reload, a large file that was not kept on this device: pick it again to resume. */
  | 'needsFile';

/** An upload as the message list shows it: an outgoing bubble with progress. */
export interface UploadView {
  id: string;
  conversationId: string;
  kind: UploadKind;
  name: string;
  mime: string;
  size: number;
  loaded: number;
  state: UploadState;
  /** An error code, when failed. */
  error: string | null;
  /** A local object URL for a preview of images while they upload. */
  previewUrl: string | null;
  durationMs: number | null;
  createdAt: number;
}

interface UploadsState {
  byId: Record<string, UploadView>;
}

export const useUploads = create<UploadsState>(() => ({ byId: {} }));

export function putUpload(view: UploadView): void {
  useUploads.setState((s) => ({ byId: { ...s.byId, [view.id]: view } }));
}

export function patchUpload(id: string, change: Partial<UploadView>): void {
  useUploads.setState((s) => {
    const held = s.byId[id];
    return held ? { byId: { ...s.byId, [id]: { ...held, ...change } } } : s;
  });
}

export function dropUpload(id: string): void {
  useUploads.setState((s) => {
    const held = s.byId[id];
    if (!held) return s;
    if (held.previewUrl) URL.revokeObjectURL(held.previewUrl);
    const byId = { ...s.byId };
    delete byId[id];
    return { byId };
  });
}

export function resetUploads(): void {
  for (const view of Object.values(useUploads.getState().byId))
    if (view.previewUrl) URL.revokeObjectURL(view.previewUrl);
  useUploads.setState({ byId: {} }, true);
}

/** The uploads of one chat, oldest first. */
export function useChatUploads(conversationId: string): UploadView[] {
  return useUploads(
    useShallow((s) =>
      Object.values(s.byId)
        .filter((u) => u.conversationId === conversationId)
        .sort((a, b) => a.createdAt - b.createdAt),
    ),
  );
}
