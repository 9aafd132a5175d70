import type { MemberSettings, SettingsPatch } from '@zhixin/sdk';
import { client } from '../app/client.ts';
import { cacheWriter } from './cache-writer.ts';
import { applySettings } from './conversation-math.ts';
import { getConversation, updateConversation } from './conversations.ts';
import { forgetConversation } from './conversation-sync.ts';
import { markReadUpTo } from './message-ops.ts';
import { relay } from './tab-relay.ts';

/** Apply my settings here; the server's copies (`server`) also go to my other tabs. */
function applyMine(settings: MemberSettings, server = true): void {
  if (server) relay({ kind: 'settings', settings });
  const next = updateConversation(settings.conversationId, (c) => applySettings(c, settings));
  if (next) cacheWriter.putConversations([next]);
}

/** Pin, mute or hide (delete from the list) a conversation, on all my devices. */
export async function updateSettings(conversationId: string, patch: SettingsPatch): Promise<void> {
  // Shown at once; the server's answer (or the refusal) settles it.
  const before = getConversation(conversationId);
  if (before) applyMine({ ...before.me, ...patch }, false);
  try {
    applyMine(await client.conversations.updateSettings(conversationId, patch));
  } catch (err) {
    if (before) applyMine(before.me, false);
    throw err;
  }
}

/** Save my draft (empty clears it); it follows me to my other devices and shows in the list. */
export async function saveDraft(conversationId: string, text: string): Promise<void> {
  const before = getConversation(conversationId);
  if (!before || (before.me.draft?.text ?? '') === text) return;
  applyMine({ ...before.me, draft: text ? { text, updatedAt: Date.now() } : null }, false);
  applyMine(await client.conversations.saveDraft(conversationId, text));
}

/** "Mark as read" from the list: everything up to the last message. */
export function markConversationRead(conversationId: string): Promise<void> {
  const c = getConversation(conversationId);
  return c ? markReadUpTo(conversationId, c.lastSeq) : Promise.resolve();
}

/** Tell the others I am (or stopped) typing; failures do not matter. */
export function sendTyping(conversationId: string, typing: boolean): void {
  client.messages.typing(conversationId, typing).catch(() => undefined);
}

/**
 * Leave a group: it goes from this tab and its siblings at once (the server tells only my other
 * sessions), and from the cache.
 */
export async function leaveGroup(conversationId: string): Promise<void> {
  await client.conversations.leaveGroup(conversationId);
  forgetConversation(conversationId);
  relay({ kind: 'left', conversationId });
}
