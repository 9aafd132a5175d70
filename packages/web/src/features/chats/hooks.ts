import type { Conversation } from '@zhixin/sdk';
import { App } from 'antd';
import { Toast } from 'antd-mobile';
import { useCallback, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useLayoutKind } from '../../app/layout.ts';
import { useSession } from '../../app/session.ts';
import { useDisplayName } from '../../data/people.ts';
import { timeLanguage, type TimeLanguage } from './lib/time.ts';

/** The signed-in user's id ('' only during sign-out). */
export function useMyId(): string {
  return useSession((s) => s.me?.id ?? '');
}

/** Whether a direct conversation is the self chat (file transfer assistant). */
export function isSelfChat(c: Conversation, myId: string): boolean {
  return c.kind === 'direct' && (c.peerId === null || c.peerId === myId);
}

/** A conversation's name: the peer (remark first), the file transfer assistant, or the group title. */
export function useConversationTitle(c: Conversation | undefined): string {
  const { t } = useTranslation('chats');
  const myId = useMyId();
  const peer = c?.kind === 'direct' && c.peerId !== myId ? c.peerId : null;
  const peerName = useDisplayName(peer);
  if (!c) return '';
  if (isSelfChat(c, myId)) return t('fileTransfer');
  if (c.kind === 'direct') return peerName;
  return c.title;
}

let minute = Math.floor(Date.now() / 60_000);
const minuteListeners = new Set<() => void>();
let minuteTimer: ReturnType<typeof setInterval> | null = null;

function subscribeMinute(listener: () => void): () => void {
  minuteListeners.add(listener);
  minuteTimer ??= setInterval(() => {
    const now = Math.floor(Date.now() / 60_000);
    if (now === minute) return;
    minute = now;
    minuteListeners.forEach((l) => l());
  }, 5_000);
  return () => {
    minuteListeners.delete(listener);
    if (minuteListeners.size === 0 && minuteTimer) {
      clearInterval(minuteTimer);
      minuteTimer = null;
    }
  };
}

/** "Now", to the minute: times like 14:03 or 昨天 re-render when the minute (or day) turns. */
export function useNowMinute(): number {
  return useSyncExternalStore(subscribeMinute, () => minute) * 60_000;
}

export function useTimeLanguage(): TimeLanguage {
  const { i18n } = useTranslation();
  return timeLanguage(i18n.language);
}

/** Short feedback in the layout's own style (antd message on desktop, a toast on mobile). */
export function useFeedback(): { success: (text: string) => void; error: (text: string) => void } {
  const layout = useLayoutKind();
  const { message } = App.useApp();
  const success = useCallback(
    (text: string) => (layout === 'mobile' ? Toast.show({ content: text }) : void message.success(text)),
    [layout, message],
  );
  const error = useCallback(
    (text: string) => (layout === 'mobile' ? Toast.show({ content: text }) : void message.error(text)),
    [layout, message],
  );
  return { success, error };
}
