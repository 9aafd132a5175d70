import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { rotatedSize, type Corner } from './crop-math.ts';
import type { CropperState } from './useCropper.ts';

const CORNERS: readonly Corner[] = ['nw', 'ne', 'sw', 'se'];

interface Props {
  cropper: CropperState;
  /** The largest the picture may be drawn. */
  maxWidth: number;
  maxHeight: number;
}

/**
 * The picture drawn (turned) in a canvas with the crop rectangle over it: drag inside to move it,
 * drag a corner to resize. Pointer events, so mouse, pen and touch all work.
 */
export function CropStage({ cropper, maxWidth, maxHeight }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drag = useRef<{ mode: 'move' | Corner; x: number; y: number } | null>(null);
  const { image, rotation, bounds, crop } = cropper;
  const scale = image ? Math.min(maxWidth / bounds.width, maxHeight / bounds.height, 1) : 1;
  const viewWidth = Math.round(bounds.width * scale);
  const viewHeight = Math.round(bounds.height * scale);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !image) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(viewWidth * ratio);
    canvas.height = Math.round(viewHeight * ratio);
    const turned = rotatedSize(image, rotation);
    const s = canvas.width / turned.width;
    ctx.setTransform(s, 0, 0, s, 0, 0);
    if (rotation === 90) ctx.translate(turned.width, 0);
    else if (rotation === 180) ctx.translate(turned.width, turned.height);
    else if (rotation === 270) ctx.translate(0, turned.height);
    ctx.rotate((rotation * Math.PI) / 180);
    ctx.drawImage(image, 0, 0);
  }, [image, rotation, viewWidth, viewHeight]);

  const start = (mode: 'move' | Corner) => (e: ReactPointerEvent<HTMLElement>) => {
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { mode, x: e.clientX, y: e.clientY };
  };
  const onMove = (e: ReactPointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (!d) return;
    const dx = (e.clientX - d.x) / scale;
    const dy = (e.clientY - d.y) / scale;
    drag.current = { ...d, x: e.clientX, y: e.clientY };
    if (d.mode === 'move') cropper.move(dx, dy);
    else cropper.resize(d.mode, dx, dy);
  };
  const end = () => {
    drag.current = null;
  };

  if (!image) return <div className="zx-mo-crop-stage" style={{ height: maxHeight }} />;
  return (
    <div className="zx-mo-crop-stage" style={{ height: maxHeight }}>
      <div className="zx-mo-crop-canvas-box" style={{ width: viewWidth, height: viewHeight }}>
        <canvas
          ref={canvasRef}
          className="zx-mo-crop-canvas"
          style={{ width: viewWidth, height: viewHeight }}
          data-testid="crop-canvas"
        />
        <div
          className="zx-mo-crop-box"
          data-testid="crop-box"
          data-width={Math.round(crop.width)}
          data-height={Math.round(crop.height)}
          style={{
            left: crop.x * scale,
            top: crop.y * scale,
            width: crop.width * scale,
            height: crop.height * scale,
          }}
          onPointerDown={start('move')}
          onPointerMove={onMove}
          onPointerUp={end}
          onPointerCancel={end}
        >
          <span className="zx-mo-crop-grid" />
          {CORNERS.map((corner) => (
            <span
              key={corner}
              className={`zx-mo-crop-handle zx-mo-crop-handle-${corner}`}
              data-testid={`crop-handle-${corner}`}
              onPointerDown={start(corner)}
              onPointerMove={onMove}
              onPointerUp={end}
              onPointerCancel={end}
            />
          ))}
        </div>
      </div>
    </div>
  );
}
