import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TimelineEntry } from '../../../data/message-window.ts';

/** Within this distance of the end counts as "at the bottom". */
const BOTTOM_SLACK = 48;
/** Start loading older messages this close to the top. */
const TOP_TRIGGER = 240;

interface Options {
  entries: readonly TimelineEntry[];
  hasMoreBefore: boolean;
  loadOlder: () => Promise<void>;
  myId: string;
}

/**
 * The scrolling of a message list: opens at the bottom and sticks there while at it; keeps the
 * view still when older messages are prepended; counts messages arriving while scrolled up.
 */
export function useChatScroll({ entries, hasMoreBefore, loadOlder, myId }: Options) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const seen = useRef<{ first: string | undefined; last: string | undefined; count: number }>({
    first: undefined,
    last: undefined,
    count: 0,
  });
  const loadingOlder = useRef(false);
  const [atBottom, setAtBottom] = useState(true);
  const [newBelow, setNewBelow] = useState(0);
  const [olderLoading, setOlderLoading] = useState(false);

  const toBottom = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  const requestOlder = useCallback(() => {
    const el = scrollRef.current;
    if (!el || loadingOlder.current || !hasMoreBefore) return;
    loadingOlder.current = true;
    setOlderLoading(true);
    anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    loadOlder()
      .catch(() => undefined)
      .finally(() => {
        loadingOlder.current = false;
        setOlderLoading(false);
        // Nothing was prepended: the anchor must not move a later render.
        requestAnimationFrame(() => {
          anchor.current = null;
        });
      });
  }, [hasMoreBefore, loadOlder]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const first = entries[0]?.key;
    const lastEntry = entries[entries.length - 1];
    const before = seen.current;
    seen.current = { first, last: lastEntry?.key, count: entries.length };
    if (anchor.current && first !== before.first && before.first !== undefined) {
      el.scrollTop = el.scrollHeight - anchor.current.height + anchor.current.top;
      anchor.current = null;
      return;
    }
    if (lastEntry?.key === before.last) return;
    const mineNow =
      lastEntry?.kind === 'pending' || (lastEntry?.kind === 'message' && lastEntry.message.senderId === myId);
    if (stick.current || mineNow || before.last === undefined) {
      stick.current = true;
      el.scrollTop = el.scrollHeight;
    } else {
      setNewBelow((n) => n + Math.max(1, entries.length - before.count));
    }
  }, [entries, myId]);

  // Late layout (images, fonts) must not pull the view off the bottom.
  useEffect(() => {
    const content = contentRef.current;
    if (!content) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) toBottom();
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, [toBottom]);

  // A short window that does not fill the view cannot be scrolled to the top: load more at once.
  useEffect(() => {
    const el = scrollRef.current;
    if (el && hasMoreBefore && entries.length > 0 && el.scrollHeight <= el.clientHeight + TOP_TRIGGER)
      requestOlder();
  }, [entries.length, hasMoreBefore, requestOlder]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const bottom = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK;
    stick.current = bottom;
    setAtBottom(bottom);
    if (bottom) setNewBelow(0);
    if (el.scrollTop < TOP_TRIGGER) requestOlder();
  }, [requestOlder]);

  const jumpToBottom = useCallback(() => {
    stick.current = true;
    setNewBelow(0);
    toBottom();
  }, [toBottom]);

  return { scrollRef, contentRef, onScroll, atBottom, newBelow, jumpToBottom, olderLoading };
}
