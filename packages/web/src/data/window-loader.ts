import { client } from '../app/client.ts';
import { currentCache } from './cache.ts';
import { loadRecentMessages } from './cache-store.ts';
import { cacheWriter } from './cache-writer.ts';
import { setMembers } from './chat-state.ts';
import { getConversation } from './conversations.ts';
import { fetchConversation } from './conversation-sync.ts';
import { prependOlder, reconcileNewest } from './message-window.ts';
import { getWindow, hasWindow, updateWindow } from './messages.ts';
import { ensureProfiles } from './people.ts';

/** Newest page size when opening a chat; older pages when scrolling back. */
const NEWEST_PAGE = 50;
const OLDER_PAGE = 50;

const inFlight = new Map<string, Promise<void>>();

function once(key: string, run: () => Promise<void>): Promise<void> {
  const running = inFlight.get(key);
  if (running) return running;
  const p = run().finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}

/** Fill an unopened conversation's window from the cache (instant, works offline). */
async function loadFromCache(conversationId: string): Promise<void> {
  const db = currentCache();
  if (!db || hasWindow(conversationId)) return;
  const cached = await loadRecentMessages(db, conversationId);
  updateWindow(conversationId, (w) => {
    if (w.loaded) return w;
    const lowest = cached[0]?.seq ?? 1;
    return { ...w, messages: cached, loaded: cached.length > 0, hasMoreBefore: lowest > 1 };
  });
  ensureProfiles(new Set(cached.map((m) => m.senderId)));
}

/** The newest page from the server, reconciled with what the window holds. */
export function loadNewest(conversationId: string): Promise<void> {
  return once(`newest:${conversationId}`, async () => {
    const page = await client.messages.history(conversationId, { limit: NEWEST_PAGE });
    const before = getWindow(conversationId);
    const next = reconcileNewest(before, page.messages, page.hasMore);
    updateWindow(conversationId, () => next);
    cacheWriter.putMessages(page.messages);
    const lowestKept = next.messages[0]?.seq;
    const heldLower = before.messages.some((m) => lowestKept !== undefined && m.seq < lowestKept);
    // The cache held messages the page could not be joined to: they may hide a hole, drop them.
    if (heldLower && lowestKept !== undefined) cacheWriter.dropMessagesBelow(conversationId, lowestKept);
    ensureProfiles(new Set(page.messages.map((m) => m.senderId)));
  });
}

/** Scroll back: the page before the first message held. */
export function loadOlder(conversationId: string): Promise<void> {
  return once(`older:${conversationId}`, async () => {
    const w = getWindow(conversationId);
    const first = w.messages[0];
    if (!w.hasMoreBefore || !first) return;
    const page = await client.messages.history(conversationId, { beforeSeq: first.seq, limit: OLDER_PAGE });
    updateWindow(conversationId, (current) => prependOlder(current, page.messages, page.hasMore));
    cacheWriter.putMessages(page.messages);
    ensureProfiles(new Set(page.messages.map((m) => m.senderId)));
  });
}

/** Members and their read positions (read receipts, the mention picker). */
export function reloadMembers(conversationId: string): Promise<void> {
  return once(`members:${conversationId}`, async () => {
    const members = await client.conversations.members(conversationId);
    setMembers(conversationId, members);
    ensureProfiles(members.map((m) => m.userId));
  });
}

/**
 * Opening a chat: the conversation (fetched when unknown, e.g. just created elsewhere), the cached
 * messages at once, then the newest page and (but for a channel) the members from the server. Rejects
 * when offline (the cached copy stays on screen); 'missing' when it does not exist or I am not a member.
 */
export async function openChat(conversationId: string): Promise<'open' | 'missing'> {
  const known = getConversation(conversationId);
  const fetched = known ? Promise.resolve(known) : fetchConversation(conversationId);
  await loadFromCache(conversationId);
  const conversation = await fetched;
  if (!conversation) return 'missing';
  // A channel's subscribers are not listed to anyone (it has no receipts and no mentions either).
  const members = conversation.kind === 'channel' ? null : reloadMembers(conversationId);
  await Promise.all([loadNewest(conversationId), members]);
  return 'open';
}
