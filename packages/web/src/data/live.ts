import type { MemberSettings, Message, Unsubscribe } from '@zhixin/sdk';
import { client } from '../app/client.ts';
import { cacheWriter } from './cache-writer.ts';
import { advanceMemberRead, setOnline, setTyping, useChatState } from './chat-state.ts';
import { applyMessageCreated, applyMessageUpdated, applySettings } from './conversation-math.ts';
import { getConversation, updateConversation } from './conversations.ts';
import {
  applyMyReadSeq,
  fetchConversation,
  forgetConversation,
  refreshConversations,
} from './conversation-sync.ts';
import { applyServerMessage, applyUpdate, continuesWindow } from './message-window.ts';
import { getWindow, hasWindow, updateWindow } from './messages.ts';
import { isMe, myUserId } from './me.ts';
import { notifyIncoming } from './notifications.ts';
import { ensureProfiles } from './people.ts';
import { loadNewest, reloadMembers } from './window-loader.ts';

/** How long a typing indicator lasts without a fresh "typing" (senders repeat it every few seconds). */
const TYPING_TTL_MS = 6000;

/** A new message (from the SDK, or relayed by a sibling tab). */
export function onCreated(m: Message): void {
  cacheWriter.putMessages([m]);
  ensureProfiles([m.senderId]);
  setTyping(m.conversationId, m.senderId, null);
  const known = getConversation(m.conversationId);
  if (known) {
    const next = updateConversation(m.conversationId, (c) => applyMessageCreated(c, m, myUserId()));
    if (next) cacheWriter.putConversations([next]);
  } else {
    // A new group, or a direct chat whose first message just arrived.
    void fetchConversation(m.conversationId).catch(() => undefined);
  }
  if (hasWindow(m.conversationId)) {
    if (continuesWindow(getWindow(m.conversationId), m)) {
      updateWindow(m.conversationId, (w) => applyServerMessage(w, m));
    } else {
      void loadNewest(m.conversationId).catch(() => undefined);
    }
  }
  if (!isMe(m.senderId)) notifyIncoming(m, getConversation(m.conversationId));
}

/** A newer version of a message. */
export function onUpdated(m: Message): void {
  cacheWriter.updateMessages([m]);
  updateWindow(m.conversationId, (w) => applyUpdate(w, m));
  const next = updateConversation(m.conversationId, (c) => applyMessageUpdated(c, m));
  if (next) cacheWriter.putConversations([next]);
}

/** My settings changed on another device (or tab): pinned, muted, hidden, draft, read position. */
export function onSettings(settings: MemberSettings): void {
  const before = getConversation(settings.conversationId);
  if (!before) return void fetchConversation(settings.conversationId).catch(() => undefined);
  const next = updateConversation(settings.conversationId, (c) =>
    applySettings(c, { ...settings, readSeq: c.me.readSeq }),
  );
  if (next) cacheWriter.putConversations([next]);
  applyMyReadSeq(settings.conversationId, settings.readSeq);
}

/** Subscribe the stores and the cache to the SDK; returns the function that undoes it all. */
export function wireEvents(): Unsubscribe {
  const offs: Unsubscribe[] = [
    client.on('message.created', onCreated),
    client.on('message.updated', onUpdated),
    client.on('conversation.read', ({ conversationId, userId, readSeq }) => {
      if (isMe(userId)) applyMyReadSeq(conversationId, readSeq);
      else advanceMemberRead(conversationId, userId, readSeq);
    }),
    client.on('member.settings', onSettings),
    client.on('conversation.changed', ({ conversationId, reason }) => {
      if (reason === 'removed') return forgetConversation(conversationId);
      void fetchConversation(conversationId).catch(() => undefined);
      if (reason === 'members' && useChatState.getState().members[conversationId])
        void reloadMembers(conversationId).catch(() => undefined);
    }),
    client.on('typing', ({ conversationId, userId, typing }) =>
      setTyping(conversationId, userId, typing ? Date.now() + TYPING_TTL_MS : null),
    ),
    client.on('presence', ({ userId, online }) => setOnline(userId, online)),
    client.on('connection.state', ({ state }) => {
      if (state !== 'connected') return;
      void refreshConversations().catch(() => undefined);
      // Messages missed while away arrive through sync; the open chat also refreshes its page.
      const open = useChatState.getState().open;
      if (open) void loadNewest(open.conversationId).catch(() => undefined);
    }),
  ];
  return () => offs.forEach((off) => off());
}
