import type { Message } from '@zhixin/sdk';

/** A one-line text of a message for the inbox: its text, or its kind for media. */
export function messageText(m: Message | null): string {
  if (!m?.content) return '';
  return m.content.kind === 'text' ? m.content.text : `[${m.content.kind}]`;
}
