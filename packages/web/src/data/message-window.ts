import type { Message, MessageContent } from '@zhixin/sdk';

/**
 * Pure rules for one conversation's loaded messages: a window ordered by seq, merged from the
 * cache, history pages and live events, plus my optimistic sends until the server acknowledges them.
 */

/** A message of mine not yet acknowledged by the server (never cached). */
export interface PendingMessage {
  clientId: string;
  conversationId: string;
  senderId: string;
  content: MessageContent;
  mentions: Message['mentions'];
  replyTo: Message['replyTo'];
  createdAt: number;
  status: 'sending' | 'failed';
  /** Why the last attempt failed (an error code), for the failed state. */
  error?: string;
}

export interface MessageWindow {
  /** Server messages, ascending by seq, without duplicates. */
  messages: Message[];
  pending: PendingMessage[];
  /** Something (cache or server) has filled the window. */
  loaded: boolean;
  /** Older messages exist before the first one held. */
  hasMoreBefore: boolean;
}

export const EMPTY_WINDOW: MessageWindow = { messages: [], pending: [], loaded: false, hasMoreBefore: true };

/** Union by seq, keeping the higher version of a message held twice; ascending. */
export function mergeMessages(existing: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return existing as Message[];
  const bySeq = new Map<number, Message>();
  for (const m of existing) bySeq.set(m.seq, m);
  for (const m of incoming) {
    const held = bySeq.get(m.seq);
    if (!held || m.version > held.version) bySeq.set(m.seq, m);
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** A server message arrived: merge it and drop the pending send it acknowledges. */
export function applyServerMessage(w: MessageWindow, m: Message): MessageWindow {
  const pending = w.pending.filter((p) => p.clientId !== m.clientId);
  return { ...w, messages: mergeMessages(w.messages, [m]), pending };
}

/** A newer version of a message we may hold; anything not held is left alone. */
export function applyUpdate(w: MessageWindow, m: Message): MessageWindow {
  const i = w.messages.findIndex((x) => x.seq === m.seq);
  const held = w.messages[i];
  if (!held || held.version >= m.version) return w;
  const messages = w.messages.slice();
  messages[i] = m;
  return { ...w, messages };
}

/**
 * Whether a live message continues the window without a hole. Seqs may skip (the server never
 * reuses a failed one), so a jump only means "unknown"; the caller then refreshes from the server.
 */
export function continuesWindow(w: MessageWindow, m: Message): boolean {
  const last = w.messages[w.messages.length - 1];
  return !w.loaded || !last || m.seq <= last.seq + 1;
}

/**
 * The newest page from the server meets what the window held (usually the cache). Overlapping
 * windows are merged; a window that does not reach the page may hide a hole and is replaced.
 */
export function reconcileNewest(w: MessageWindow, page: readonly Message[], hasMore: boolean): MessageWindow {
  const sorted = [...page].sort((a, b) => a.seq - b.seq);
  const first = sorted[0];
  if (!first) return { ...w, messages: [], loaded: true, hasMoreBefore: false };
  // Messages beyond the page's newest arrived live meanwhile; keep them.
  const newest = sorted[sorted.length - 1] as Message;
  const later = w.messages.filter((m) => m.seq > newest.seq);
  const reaches = w.messages.some((m) => m.seq >= first.seq - 1 && m.seq <= newest.seq);
  const older = !hasMore ? [] : reaches ? w.messages.filter((m) => m.seq < first.seq) : [];
  // Held copies inside the page's range may be newer versions (an edit the page predates).
  const overlap = w.messages.filter((m) => m.seq >= first.seq && m.seq <= newest.seq);
  const messages = mergeMessages(mergeMessages(mergeMessages(older, overlap), sorted), later).filter(
    (m) => hasMore || m.seq >= first.seq,
  );
  const lowest = messages[0]?.seq ?? first.seq;
  return { ...w, messages, loaded: true, hasMoreBefore: hasMore && lowest > 1 };
}

/** An older page (history before the first held message) prepended. */
export function prependOlder(w: MessageWindow, page: readonly Message[], hasMore: boolean): MessageWindow {
  const messages = mergeMessages(w.messages, page);
  const lowest = messages[0]?.seq ?? 1;
  return { ...w, messages, hasMoreBefore: hasMore && lowest > 1 };
}

/** What the message list renders: server messages by seq, then my pending sends in send order. */
export type TimelineEntry =
  | { kind: 'message'; key: string; message: Message }
  | { kind: 'pending'; key: string; pending: PendingMessage };

export function timelineOf(w: MessageWindow): TimelineEntry[] {
  const acked = new Set(w.messages.map((m) => m.clientId));
  const entries: TimelineEntry[] = w.messages.map((message) => ({
    kind: 'message',
    key: `s${message.seq}`,
    message,
  }));
  for (const pending of [...w.pending].sort((a, b) => a.createdAt - b.createdAt)) {
    if (!acked.has(pending.clientId)) entries.push({ kind: 'pending', key: `p${pending.clientId}`, pending });
  }
  return entries;
}

/** Mark a pending send failed (or sending again, on retry). */
export function setPendingStatus(
  w: MessageWindow,
  clientId: string,
  status: PendingMessage['status'],
  error?: string,
): MessageWindow {
  return {
    ...w,
    pending: w.pending.map((p) =>
      p.clientId === clientId ? { ...p, status, ...(error ? { error } : { error: undefined }) } : p,
    ),
  };
}
