import { useCallback, useRef, useState, type PointerEvent, type WheelEvent } from 'react';

export interface View {
  scale: number;
  rotate: number;
  x: number;
  y: number;
}

const MIN_SCALE = 0.2;
const MAX_SCALE = 8;
export const INITIAL_VIEW: View = { scale: 1, rotate: 0, x: 0, y: 0 };

const clampScale = (s: number) => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));

/** Zoom (wheel, buttons, two-finger pinch), pan (drag) and rotate for the image viewer. */
export function usePanZoom() {
  const [view, setView] = useState<View>(INITIAL_VIEW);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ distance: number; scale: number } | null>(null);

  const zoom = useCallback(
    (factor: number) => setView((v) => ({ ...v, scale: clampScale(v.scale * factor) })),
    [],
  );
  const rotate = useCallback(
    (deg: number) => setView((v) => ({ ...v, rotate: (v.rotate + deg + 360) % 360 })),
    [],
  );
  const reset = useCallback(() => setView(INITIAL_VIEW), []);

  const distance = () => {
    const [a, b] = [...pointers.current.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  };

  const handlers = {
    onWheel: (e: WheelEvent) => zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15),
    onPointerDown: (e: PointerEvent) => {
      e.currentTarget.setPointerCapture(e.pointerId);
      pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (pointers.current.size === 2) pinch.current = { distance: distance(), scale: view.scale };
    },
    onPointerMove: (e: PointerEvent) => {
      const last = pointers.current.get(e.pointerId);
      if (!last) return;
      pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
      if (pointers.current.size === 2 && pinch.current) {
        const { distance: start, scale } = pinch.current;
        const now = distance();
        if (start > 0) setView((v) => ({ ...v, scale: clampScale((scale * now) / start) }));
        return;
      }
      const dx = e.clientX - last.x;
      const dy = e.clientY - last.y;
      setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
    },
    onPointerUp: (e: PointerEvent) => {
      pointers.current.delete(e.pointerId);
      if (pointers.current.size < 2) pinch.current = null;
    },
  };
  const transform = `translate(${view.x}px, ${view.y}px) scale(${view.scale}) rotate(${view.rotate}deg)`;
  return { view, transform, zoom, rotate, reset, handlers };
}
