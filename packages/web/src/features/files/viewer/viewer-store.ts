import { create } from 'zustand';

/** What is open full screen: an image of a chat (by seq) or a video. */
export type ViewerTarget =
  | { kind: 'image'; conversationId: string; seq: number }
  | { kind: 'video'; conversationId: string; fileId: string };

export const useViewer = create<{ target: ViewerTarget | null }>(() => ({ target: null }));

export function openViewer(target: ViewerTarget): void {
  useViewer.setState({ target });
}

export function closeViewer(): void {
  useViewer.setState({ target: null });
}
