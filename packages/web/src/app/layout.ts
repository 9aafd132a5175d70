import { useSyncExternalStore } from 'react';

export type LayoutKind = 'desktop' | 'mobile';

/** Phones and narrow windows get the mobile layout; the breakpoint is antd's `md`. */
export const MOBILE_QUERY = '(max-width: 767px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(MOBILE_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export function currentLayout(): LayoutKind {
  return window.matchMedia(MOBILE_QUERY).matches ? 'mobile' : 'desktop';
}

/** Which layout the viewport calls for; re-renders when the window crosses the breakpoint. */
export function useLayoutKind(): LayoutKind {
  return useSyncExternalStore(subscribe, currentLayout, () => 'desktop');
}
