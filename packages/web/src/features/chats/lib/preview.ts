import type { Conversation, Message } from '@zhixin/sdk';
import i18next from 'i18next';
import { systemText } from '../../contacts/groups/systemText.ts';

/** What a list row says under the name. */
export interface Preview {
  /** A red marker before the text: my draft, or a mention of me. */
  marker: 'draft' | 'mention' | null;
  text: string;
}

export interface PreviewContext {
  myId: string;
  nameOf: (userId: string) => string;
  t: (key: string, options?: Record<string, unknown>) => string;
}

/** One message in a line: text, a bracketed kind, or the recall notice. */
export function messageSummary(m: Message, ctx: PreviewContext): string {
  // Its sender and recall state may be forged as well: say only that it failed its check.
  if (m.integrity === 'tampered') return ctx.t('tampered');
  if (m.recalledAt !== null || m.content === null) {
    return m.senderId === ctx.myId
      ? ctx.t('recalledByMe')
      : ctx.t('recalledBy', { name: ctx.nameOf(m.senderId) });
  }
  const c = m.content;
  switch (c.kind) {
    case 'text':
      return c.text.replace(/\s+/g, ' ');
    case 'file':
      return `${ctx.t('preview.file')} ${c.name}`;
    case 'system':
      return systemText(c, ctx.nameOf, (key, options) => i18next.t(key, { ns: 'groups', ...options }));
    default:
      return ctx.t(`preview.${c.kind}`);
  }
}

/**
 * The preview of a conversation: my draft first (marked), else the last message, with "someone
 * mentioned me" marked while unread, and the sender's name before it in groups.
 */
export function previewOf(c: Conversation, ctx: PreviewContext): Preview {
  const draft = c.me.draft?.text.trim();
  if (draft) return { marker: 'draft', text: draft.replace(/\s+/g, ' ') };
  const m = c.lastMessage;
  const marker = c.mentionedMe && c.unreadCount > 0 ? 'mention' : null;
  if (!m) return { marker, text: '' };
  const summary = messageSummary(m, ctx);
  const recalled = m.recalledAt !== null || m.content === null;
  const system = m.content?.kind === 'system';
  const showSender =
    c.kind === 'group' && !recalled && !system && m.integrity !== 'tampered' && m.senderId !== ctx.myId;
  return { marker, text: showSender ? `${ctx.nameOf(m.senderId)}: ${summary}` : summary };
}
