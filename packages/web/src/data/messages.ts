import type { Message } from '@zhixin/sdk';
import { create } from 'zustand';
import { EMPTY_WINDOW, type MessageWindow } from './message-window.ts';

interface MessagesState {
  /** Loaded messages per conversation id (only conversations opened since start). */
  windows: Record<string, MessageWindow>;
  /**
   * Texts of my messages recalled on this device, by `<conversationId>:<seq>`, so "re-edit" can put
   * them back in the composer: after a recall the server keeps no content.
   */
  recalledTexts: Record<string, { text: string; at: number }>;
}

export const useMessages = create<MessagesState>(() => ({ windows: {}, recalledTexts: {} }));

export function getWindow(conversationId: string): MessageWindow {
  return useMessages.getState().windows[conversationId] ?? EMPTY_WINDOW;
}

export function hasWindow(conversationId: string): boolean {
  return conversationId in useMessages.getState().windows;
}

/** Change a conversation's window (creating it empty first when needed). */
export function updateWindow(conversationId: string, change: (w: MessageWindow) => MessageWindow): void {
  useMessages.setState((s) => {
    const current = s.windows[conversationId] ?? EMPTY_WINDOW;
    const next = change(current);
    if (next === current && conversationId in s.windows) return s;
    return { windows: { ...s.windows, [conversationId]: next } };
  });
}

/** Forget a conversation's window: it is reloaded (cache, then server) when opened again. */
export function dropWindow(conversationId: string): void {
  useMessages.setState((s) => {
    if (!(conversationId in s.windows)) return s;
    const windows = { ...s.windows };
    delete windows[conversationId];
    return { windows };
  });
}

export function rememberRecalledText(m: Message, text: string): void {
  const key = `${m.conversationId}:${m.seq}`;
  useMessages.setState((s) => ({ recalledTexts: { ...s.recalledTexts, [key]: { text, at: Date.now() } } }));
}

export function resetMessages(): void {
  useMessages.setState({ windows: {}, recalledTexts: {} }, true);
}

export function useWindow(conversationId: string): MessageWindow {
  return useMessages((s) => s.windows[conversationId] ?? EMPTY_WINDOW);
}
