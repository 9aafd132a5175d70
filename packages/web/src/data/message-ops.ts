import type { Message, Readers } from '@zhixin/sdk';
import { client } from '../app/client.ts';
import { cacheWriter } from './cache-writer.ts';
import { applyMessageUpdated } from './conversation-math.ts';
import { getConversation, updateConversation } from './conversations.ts';
import { applyMyReadSeq } from './conversation-sync.ts';
import { applyUpdate } from './message-window.ts';
import { rememberRecalledText, updateWindow } from './messages.ts';
import { relay } from './tab-relay.ts';

/** A changed message returned by the server: shown here at once (other devices get the event). */
function applyChanged(m: Message): Message {
  relay({ kind: 'updated', message: m });
  updateWindow(m.conversationId, (w) => applyUpdate(w, m));
  const next = updateConversation(m.conversationId, (c) => applyMessageUpdated(c, m));
  if (next) cacheWriter.putConversations([next]);
  cacheWriter.updateMessages([m]);
  return m;
}

export async function editMessage(
  m: Message,
  text: string,
  mentions?: Message['mentions'],
): Promise<Message> {
  return applyChanged(await client.messages.edit(m.conversationId, m.seq, text, mentions));
}

/** Recall my message; its text is kept on this device for "re-edit". Rejects past the window. */
export async function recallMessage(m: Message): Promise<Message> {
  const text = m.content?.kind === 'text' ? m.content.text : null;
  const recalled = applyChanged(await client.messages.recall(m.conversationId, m.seq));
  if (text) rememberRecalledText(recalled, text);
  return recalled;
}

export async function toggleReaction(m: Message, emoji: string, myId: string): Promise<Message> {
  const mine = m.reactions.some((r) => r.emoji === emoji && r.userIds.includes(myId));
  return applyChanged(await client.messages.react(m.conversationId, m.seq, emoji, !mine));
}

export function fetchReaders(m: Message): Promise<Readers> {
  return client.messages.readers(m.conversationId, m.seq);
}

/** Mark read up to a seq: unread counts follow here at once, then on my other devices. */
export async function markReadUpTo(conversationId: string, seq: number): Promise<void> {
  const c = getConversation(conversationId);
  if (!c || seq <= c.me.readSeq) return;
  applyMyReadSeq(conversationId, seq);
  const position = await client.messages.markRead(conversationId, seq);
  applyMyReadSeq(conversationId, position.readSeq);
  relay({ kind: 'read', conversationId, readSeq: position.readSeq });
}
