import { DisclaimerDialog } from './disclaimer/DisclaimerDialog.tsx';
import { ImageViewer } from './viewer/ImageViewer.tsx';
import { VideoPlayer } from './viewer/VideoPlayer.tsx';
import { useViewer } from './viewer/viewer-store.ts';
import './files.css';

/** What the chat shows over everything for files: the disclaimer question, the image viewer, the video player. */
export function FilesOverlays({ layout }: { layout: 'desktop' | 'mobile' }) {
  const target = useViewer((s) => s.target);
  return (
    <>
      <DisclaimerDialog layout={layout} />
      {target?.kind === 'image' && <ImageViewer conversationId={target.conversationId} seq={target.seq} />}
      {target?.kind === 'video' && (
        <VideoPlayer conversationId={target.conversationId} fileId={target.fileId} />
      )}
    </>
  );
}
