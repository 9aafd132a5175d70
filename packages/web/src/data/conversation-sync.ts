import { ZhixinError, type Conversation } from '@zhixin/sdk';
import { client } from '../app/client.ts';
import { currentCache } from './cache.ts';
import { saveCursor } from './cache-store.ts';
import { cacheWriter } from './cache-writer.ts';
import { unreadAfterRead } from './conversation-math.ts';
import {
  getConversation,
  putConversations,
  removeConversation,
  updateConversation,
  useConversations,
} from './conversations.ts';
import { dropWindow, getWindow } from './messages.ts';
import { myUserId } from './me.ts';
import { ensureProfiles } from './people.ts';

/** Profiles the list needs: direct chat peers and the senders of last messages. */
function wantProfiles(list: readonly Conversation[]): void {
  const ids = new Set<string>();
  for (const c of list) {
    if (c.peerId) ids.add(c.peerId);
    if (c.lastMessage) ids.add(c.lastMessage.senderId);
  }
  ensureProfiles(ids);
}

/** Store server copies of conversations and queue them for the cache. */
export function storeConversations(list: readonly Conversation[]): void {
  const merged = putConversations(list);
  cacheWriter.putConversations(merged);
  wantProfiles(merged);
}

/** `cursor` of the last list this tab applied (not the cache's: a sibling tab may be ahead). */
let listCursor: number | undefined;

export function setListCursor(cursor: number | undefined): void {
  listCursor = cursor;
}

let refreshing: Promise<void> | null = null;
let again = false;

/**
 * Conversations changed since the cursor this device last saw (all of them the first time). Called
 * at every (re)connect; one run at a time, with at most one more queued behind it.
 */
export function refreshConversations(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      const db = currentCache();
      if (!db) return;
      const list = await client.conversations.list(listCursor);
      if (currentCache() !== db) return;
      storeConversations(list.conversations);
      listCursor = list.cursor;
      useConversations.setState({ synced: true });
      await cacheWriter.flush();
      await saveCursor(db, list.cursor);
    } while (again);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const fetching = new Map<string, Promise<Conversation | null>>();

/**
 * Fetch one conversation from the server (an unknown id, or one that changed). Resolves null when
 * it is gone or I am no longer a member (then it is removed here too).
 */
export function fetchConversation(id: string): Promise<Conversation | null> {
  const running = fetching.get(id);
  if (running) return running;
  const p = client.conversations
    .get(id)
    .then((c) => {
      storeConversations([c]);
      return getConversation(id) ?? c;
    })
    .catch((err: unknown) => {
      if (err instanceof ZhixinError && (err.code === 'NOT_FOUND' || err.code === 'NOT_MEMBER')) {
        forgetConversation(id);
        return null;
      }
      throw err;
    })
    .finally(() => fetching.delete(id));
  fetching.set(id, p);
  return p;
}

/** Removed from a group (or the conversation is gone): forget it on this device. */
export function forgetConversation(id: string): void {
  removeConversation(id);
  dropWindow(id);
  cacheWriter.deleteConversation(id);
}

/** My read position moved (here or on another device): unread count and mention flag follow. */
export function applyMyReadSeq(id: string, readSeq: number): void {
  const before = getConversation(id);
  if (!before || readSeq <= before.me.readSeq) return;
  const counted = unreadAfterRead(before, readSeq, getWindow(id).messages, myUserId());
  const next = updateConversation(id, (c) => ({
    ...c,
    me: { ...c.me, readSeq },
    ...(counted ?? {}),
  }));
  if (next) cacheWriter.putConversations([next]);
  // The messages at hand do not cover the rest: the server counts.
  if (!counted) void fetchConversation(id).catch(() => undefined);
}
