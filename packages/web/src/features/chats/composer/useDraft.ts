import type { Conversation } from '@zhixin/sdk';
import { useCallback, useEffect, useRef } from 'react';
import { saveDraft } from '../../../data/conversation-ops.ts';

const SAVE_AFTER_MS = 800;

/**
 * Keep the composer's text as the conversation's draft: saved shortly after typing stops and when
 * leaving the chat; a draft saved on another device replaces the text if it was not touched here.
 */
export function useDraft(
  c: Conversation,
  text: string,
  setText: (text: string) => void,
  paused: boolean,
): (text: string) => void {
  const synced = useRef(c.me.draft?.text ?? '');
  const latest = useRef(text);
  latest.current = text;

  useEffect(() => {
    if (paused || text === synced.current) return;
    const timer = setTimeout(() => {
      synced.current = text;
      void saveDraft(c.id, text).catch(() => undefined);
    }, SAVE_AFTER_MS);
    return () => clearTimeout(timer);
  }, [c.id, text, paused]);

  const remote = c.me.draft?.text ?? '';
  useEffect(() => {
    if (paused || remote === synced.current) return;
    if (latest.current === synced.current) setText(remote);
    synced.current = remote;
  }, [remote, paused, setText]);

  // Leaving the chat saves what was typed since the last save.
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(
    () => () => {
      if (!pausedRef.current && latest.current !== synced.current)
        void saveDraft(c.id, latest.current).catch(() => undefined);
    },
    [c.id],
  );

  // Save now (after sending: the list must not show the sent text as a draft).
  return useCallback(
    (next: string) => {
      if (next === synced.current) return;
      synced.current = next;
      void saveDraft(c.id, next).catch(() => undefined);
    },
    [c.id],
  );
}
