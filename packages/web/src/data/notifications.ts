import type { Conversation, Message } from '@zhixin/sdk';
import i18next from 'i18next';
import { usePreferences } from '../app/preferences.ts';
import { useChatState } from './chat-state.ts';
import { isMe } from './me.ts';
import { incomingAlert } from './notify-rules.ts';
import { displayNameOf } from './people.ts';

/** The name a conversation goes by outside React (notifications). */
export function conversationName(c: Conversation | undefined): string {
  if (!c) return i18next.t('chats:newMessage');
  if (c.kind === 'direct') {
    if (!c.peerId || isMe(c.peerId)) return i18next.t('chats:fileTransfer');
    return displayNameOf(c.peerId);
  }
  return c.title;
}

let audio: AudioContext | null = null;

/** A short, quiet two-tone beep (no sound file to ship or cache). */
function beep(): void {
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0.08, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.25);
    gain.connect(ctx.destination);
    [880, 1320].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      osc.frequency.value = hz;
      osc.connect(gain);
      osc.start(ctx.currentTime + i * 0.09);
      osc.stop(ctx.currentTime + i * 0.09 + 0.12);
    });
  } catch {
    // No audio device or autoplay refused: the notification still shows.
  }
}

/** Opening a chat from outside the router: BrowserRouter follows popstate. */
function openChatRoute(conversationId: string): void {
  const path = `/chats/${encodeURIComponent(conversationId)}`;
  if (window.location.pathname !== path) {
    window.history.pushState({}, '', path);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }
}

function textOf(m: Message, showPreview: boolean): string {
  if (!showPreview) return i18next.t('chats:newMessage');
  const c = m.content;
  if (!c) return i18next.t('chats:newMessage');
  if (c.kind === 'text') return c.text.length > 120 ? `${c.text.slice(0, 120)}…` : c.text;
  return i18next.t(`chats:preview.${c.kind}`);
}

/**
 * A message from someone else arrived: a system notification when the user is not looking at that
 * chat (page hidden, or another chat open), the conversation is not muted and notifications are on;
 * announcement channels only while the app is in front, silently (notify-rules.ts).
 */
export function notifyIncoming(m: Message, c: Conversation | undefined): void {
  const prefs = usePreferences.getState().notifications;
  const open = useChatState.getState().open;
  const alert = incomingAlert({
    conversation: c,
    recalled: m.content === null,
    pageHidden: document.hidden,
    looking: !document.hidden && open?.conversationId === m.conversationId,
    preferences: prefs,
  });
  if (alert.sound) beep();
  if (!alert.banner) return;
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const name = conversationName(c);
  const title = c?.kind === 'group' ? `${name} · ${displayNameOf(m.senderId)}` : name;
  try {
    const n = new Notification(title, { body: textOf(m, prefs.showPreview), tag: m.conversationId });
    n.onclick = () => {
      window.focus();
      openChatRoute(m.conversationId);
      n.close();
    };
  } catch {
    // Some mobile browsers only allow notifications from a service worker; the tab badge remains.
  }
}

let asked = false;

/**
 * Ask for notification permission on the user's first interaction (browsers refuse to ask
 * otherwise), once, and only while notifications are enabled in the preferences.
 */
export function askPermissionOnFirstGesture(): () => void {
  const ask = () => {
    window.removeEventListener('pointerdown', ask);
    if (asked || typeof Notification === 'undefined') return;
    asked = true;
    if (usePreferences.getState().notifications.enabled && Notification.permission === 'default')
      void Notification.requestPermission().catch(() => undefined);
  };
  window.addEventListener('pointerdown', ask);
  return () => window.removeEventListener('pointerdown', ask);
}
