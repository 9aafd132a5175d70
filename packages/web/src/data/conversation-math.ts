import type { Conversation, Message, MemberSettings } from '@zhixin/sdk';

/**
 * Pure rules for the conversation list: ordering, merging server copies with live updates, and
 * unread counting. No store, no network: the stores and the event wiring call these.
 */

/** When a conversation last saw activity: its last message, my draft, or its creation. */
export function activityAt(c: Conversation): number {
  return Math.max(c.lastMessage?.createdAt ?? 0, c.me.draft?.updatedAt ?? 0, c.createdAt);
}

/** Pinned first, then the most recent activity; ties by id so the order is stable. */
export function compareConversations(a: Conversation, b: Conversation): number {
  if (a.me.pinned !== b.me.pinned) return a.me.pinned ? -1 : 1;
  const byTime = activityAt(b) - activityAt(a);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The conversations the list shows (not hidden), in list order. */
export function sortedVisible(byId: Readonly<Record<string, Conversation>>): Conversation[] {
  return Object.values(byId)
    .filter((c) => !c.me.hidden)
    .sort(compareConversations);
}

/**
 * How a list row marks unread messages: a number, or only a dot when the conversation reminds
 * weakly (muted by me, or the operations account's announcement channel: R-S4).
 */
export function unreadMark(c: Conversation): 'count' | 'dot' | null {
  if (c.unreadCount === 0) return null;
  return c.me.muted || c.kind === 'channel' ? 'dot' : 'count';
}

/**
 * The chats tab badge: unread messages of the conversations that are neither muted nor hidden.
 * Announcement channels never count: a broadcast to everyone must not light up every badge.
 */
export function totalUnread(byId: Readonly<Record<string, Conversation>>): number {
  let total = 0;
  for (const c of Object.values(byId))
    if (!c.me.hidden && unreadMark(c) === 'count') total += c.unreadCount;
  return total;
}

/**
 * A server copy of a conversation meeting the one we hold. A list request can be overtaken by live
 * events (a message, a read position): what moved further on either side wins.
 */
export function mergeConversation(existing: Conversation | undefined, incoming: Conversation): Conversation {
  if (!existing) return incoming;
  let next = incoming;
  if (existing.lastSeq > incoming.lastSeq) {
    next = {
      ...next,
      lastSeq: existing.lastSeq,
      lastMessage: existing.lastMessage,
      unreadCount: existing.unreadCount,
      mentionedMe: existing.mentionedMe,
    };
  } else if (
    existing.lastSeq === incoming.lastSeq &&
    existing.lastMessage &&
    incoming.lastMessage &&
    existing.lastMessage.version > incoming.lastMessage.version
  ) {
    next = { ...next, lastMessage: existing.lastMessage };
  }
  if (existing.me.readSeq > next.me.readSeq) {
    next = { ...next, me: { ...next.me, readSeq: existing.me.readSeq } };
    if (existing.me.readSeq >= next.lastSeq) next = { ...next, unreadCount: 0, mentionedMe: false };
  }
  return next;
}

/** Whether a message mentions a user (by id, or everyone). */
export function mentionsUser(message: Message, userId: string): boolean {
  return message.content !== null && message.mentions.some((m) => m === userId || m === 'all');
}

/** A new message of a conversation: last message, activity, unread count and mention flag. */
export function applyMessageCreated(c: Conversation, message: Message, myId: string): Conversation {
  if (message.seq <= c.lastSeq && c.lastMessage && message.seq <= c.lastMessage.seq) return c;
  const fromOther = message.senderId !== myId;
  const unread = fromOther && message.seq > c.me.readSeq;
  return {
    ...c,
    lastSeq: Math.max(c.lastSeq, message.seq),
    lastMessage: message,
    unreadCount: c.unreadCount + (unread ? 1 : 0),
    mentionedMe: c.mentionedMe || (unread && mentionsUser(message, myId)),
    // A new message brings a hidden conversation back (the server un-hides it too).
    me: c.me.hidden ? { ...c.me, hidden: false } : c.me,
    updatedAt: Math.max(c.updatedAt, message.createdAt),
  };
}

/** A newer version of a message (edit, recall, reaction): only the last message matters here. */
export function applyMessageUpdated(c: Conversation, message: Message): Conversation {
  if (!c.lastMessage || c.lastMessage.seq !== message.seq || c.lastMessage.version >= message.version)
    return c;
  return { ...c, lastMessage: message };
}

/**
 * Unread messages after reading up to `readSeq`, counted from the messages at hand. Returns null
 * when they do not cover everything after `readSeq` (the caller then asks the server).
 */
export function unreadAfterRead(
  c: Conversation,
  readSeq: number,
  known: readonly Message[],
  myId: string,
): { unreadCount: number; mentionedMe: boolean } | null {
  if (readSeq >= c.lastSeq) return { unreadCount: 0, mentionedMe: false };
  const after = known.filter((m) => m.seq > readSeq);
  const first = known.find((m) => m.seq <= readSeq + 1);
  const last = known[known.length - 1];
  // Covered only if the known messages reach from just after readSeq to lastSeq.
  if (!first || !last || last.seq < c.lastSeq) return null;
  const fromOthers = after.filter((m) => m.senderId !== myId);
  return {
    unreadCount: fromOthers.length,
    mentionedMe: fromOthers.some((m) => mentionsUser(m, myId)),
  };
}

/** My settings changed (on this or another device): pinned, muted, hidden, draft and read position. */
export function applySettings(c: Conversation, settings: MemberSettings): Conversation {
  return { ...c, me: { ...settings, readSeq: Math.max(settings.readSeq, c.me.readSeq) } };
}
