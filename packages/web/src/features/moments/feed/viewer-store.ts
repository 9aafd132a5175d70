import type { MomentMedia } from '@zhixin/protocol';
import { create } from 'zustand';

/** What is open full screen: a post's pictures at one of them, or its video. */
export interface MomentViewerTarget {
  momentId: string;
  media: readonly MomentMedia[];
  index: number;
}

export const useMomentViewer = create<{ target: MomentViewerTarget | null }>(() => ({ target: null }));

export function openMomentViewer(target: MomentViewerTarget): void {
  useMomentViewer.setState({ target });
}

export function closeMomentViewer(): void {
  useMomentViewer.setState({ target: null });
}
