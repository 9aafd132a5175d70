import type { Message } from '@zhixin/sdk';
import { create } from 'zustand';

interface ComposerState {
  conversationId: string | null;
  /** The message being replied to. */
  replyTo: Message | null;
  /** My text message being edited. */
  editing: Message | null;
  /** Text for the composer to take (re-edit of a recalled message); it clears it once taken. */
  inject: { text: string; nonce: number } | null;
}

/** What the message menu asks of the composer of the open chat: reply, edit, re-edit. */
export const useComposer = create<ComposerState>(() => ({
  conversationId: null,
  replyTo: null,
  editing: null,
  inject: null,
}));

export function resetComposer(conversationId: string | null): void {
  useComposer.setState({ conversationId, replyTo: null, editing: null, inject: null });
}

export function replyTo(m: Message | null): void {
  useComposer.setState({ replyTo: m, editing: null });
}

export function startEditing(m: Message | null): void {
  useComposer.setState({ editing: m, replyTo: null });
}

export function injectText(text: string): void {
  useComposer.setState({ inject: { text, nonce: Date.now() }, editing: null });
}
