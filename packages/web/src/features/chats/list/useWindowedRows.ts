import { useEffect, useState, type RefObject } from 'react';

/** Rows drawn above and below the visible ones, so a quick scroll does not show blanks. */
const OVERSCAN = 6;

/**
 * Simple windowing for a list of equal-height rows: which rows intersect the scroll viewport.
 * Only those are rendered, so 1,000 conversations cost as much as a screenful.
 */
export function useWindowedRows(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
): { start: number; end: number } {
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    let frame = 0;
    const measure = () => {
      frame = 0;
      setView((v) =>
        v.top === el.scrollTop && v.height === el.clientHeight
          ? v
          : { top: el.scrollTop, height: el.clientHeight },
      );
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(measure);
    };
    measure();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(onScroll);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [scrollRef]);
  const start = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const end = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN);
  return { start, end };
}
