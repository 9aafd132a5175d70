import { PictureOutlined, PlayCircleFilled } from '@ant-design/icons';
import type { MomentMedia } from '@zhixin/protocol';
import { useInView } from '../../files/bubbles/useInView.ts';
import { useMediaSrc } from '../media.ts';
import { openMomentViewer } from './viewer-store.ts';

/** The size of a lone picture: at most 240 px on its longer side, its shape kept. */
function singleSize(m: MomentMedia): { width: number; height: number } {
  const w = m.width ?? 4;
  const h = m.height ?? 3;
  const scale = 240 / Math.max(w, h);
  return { width: Math.max(80, Math.round(w * scale)), height: Math.max(80, Math.round(h * scale)) };
}

function Thumb({ m, onOpen }: { m: MomentMedia; onOpen: () => void }) {
  const [ref, inView] = useInView<HTMLButtonElement>();
  const variant = m.hasThumbnail ? 'thumbnail' : m.kind === 'image' ? 'original' : null;
  const src = useMediaSrc(inView && variant ? { fileId: m.fileId, variant } : null);
  return (
    <button
      ref={ref}
      type="button"
      className={`zx-mo-thumb${m.kind === 'video' ? ' zx-mo-thumb-video' : ''}`}
      data-testid={m.kind === 'video' ? 'post-video' : 'post-image'}
      data-file-id={m.fileId}
      data-state={src.status}
      onClick={onOpen}
    >
      {src.status === 'ready' ? (
        <img src={src.src} alt="" draggable={false} />
      ) : (
        <PictureOutlined className="zx-mo-thumb-blank" />
      )}
      {m.kind === 'video' && <PlayCircleFilled className="zx-mo-thumb-play" />}
    </button>
  );
}

/** A post's 1–9 pictures as a grid of thumbnails (or its video's poster); click opens the viewer. */
export function MediaGrid({ momentId, media }: { momentId: string; media: readonly MomentMedia[] }) {
  if (media.length === 0) return null;
  const first = media[0] as MomentMedia;
  const columns = media.length === 1 ? 1 : media.length === 2 || media.length === 4 ? 2 : 3;
  const style = media.length === 1 ? singleSize(first) : undefined;
  return (
    <div
      className={`zx-mo-grid zx-mo-grid-${columns}`}
      style={style}
      data-testid="post-media"
      data-count={media.length}
    >
      {media.map((m, index) => (
        <Thumb key={m.fileId} m={m} onOpen={() => openMomentViewer({ momentId, media, index })} />
      ))}
    </div>
  );
}
