import type { Unsubscribe } from '@zhixin/sdk';
import { client } from '../app/client.ts';
import { closeCache, openCache } from './cache.ts';
import { loadConversationsWithCursor } from './cache-store.ts';
import { cacheWriter, flushWhenHidden } from './cache-writer.ts';
import { resetChatState } from './chat-state.ts';
import { resetConversations, useConversations } from './conversations.ts';
import { onCreated, onSettings, onUpdated, wireEvents } from './live.ts';
import {
  applyMyReadSeq,
  forgetConversation,
  refreshConversations,
  setListCursor,
} from './conversation-sync.ts';
import { startTabRelay } from './tab-relay.ts';
import { setMyUserId } from './me.ts';
import { resetMessages } from './messages.ts';
import { askPermissionOnFirstGesture } from './notifications.ts';
import { loadCachedPeople, resetPeople, startPeopleSync } from './people.ts';

let stops: Unsubscribe[] = [];

/**
 * Start this user's data layer: open the IndexedDB cache, load what it holds into the stores
 * (so the first paint shows cached chats), and subscribe the stores to SDK events.
 * Called by app/session.ts before the signed-in UI mounts.
 */
export async function startDataLayer(userId: string): Promise<void> {
  const db = openCache(userId);
  setMyUserId(userId);
  // A broken or blocked IndexedDB must not keep anyone out: the server fills the stores instead.
  const [{ conversations, cursor }] = await Promise.all([
    loadConversationsWithCursor(db).catch(() => ({ conversations: [], cursor: undefined })),
    loadCachedPeople().catch(() => undefined),
  ]);
  useConversations.setState({ byId: Object.fromEntries(conversations.map((c) => [c.id, c])) });
  // The cursor goes with what this tab loaded: another tab may move the cached one meanwhile.
  setListCursor(cursor);
  stops.forEach((stop) => stop());
  stops = [
    flushWhenHidden(),
    wireEvents(),
    startPeopleSync(),
    askPermissionOnFirstGesture(),
    startTabRelay(userId, {
      created: onCreated,
      updated: onUpdated,
      settings: onSettings,
      read: applyMyReadSeq,
      left: forgetConversation,
    }),
  ];
  // Usually not connected yet (session.ts connects next); the connect then triggers the refresh.
  if (client.connectionState === 'connected') void refreshConversations().catch(() => undefined);
}

/** Stop it: unsubscribe, clear the in-memory stores; with a user id, delete their cache (logout). */
export async function stopDataLayer(wipeFor: string | null): Promise<void> {
  stops.forEach((stop) => stop());
  stops = [];
  if (wipeFor) cacheWriter.discard();
  else await cacheWriter.flush();
  resetConversations();
  resetMessages();
  resetChatState();
  resetPeople();
  setMyUserId(null);
  setListCursor(undefined);
  await closeCache(wipeFor);
}
