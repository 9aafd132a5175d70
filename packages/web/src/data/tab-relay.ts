import type { MemberSettings, Message, Unsubscribe } from '@zhixin/sdk';

/**
 * What one tab tells the other tabs of the same browser. They share one session, and the server
 * sends a session's own changes to its other sessions only, so tabs would otherwise not see what
 * their sibling did (a sent message, a read position, a pin) until the next reconnect.
 */
export type RelayMessage =
  | { kind: 'created'; message: Message }
  | { kind: 'updated'; message: Message }
  | { kind: 'settings'; settings: MemberSettings }
  | { kind: 'read'; conversationId: string; readSeq: number }
  | { kind: 'left'; conversationId: string };

export interface RelayHandlers {
  created: (m: Message) => void;
  updated: (m: Message) => void;
  settings: (s: MemberSettings) => void;
  read: (conversationId: string, readSeq: number) => void;
  left: (conversationId: string) => void;
}

let channel: BroadcastChannel | null = null;

/** Tell the other tabs (no-op without BroadcastChannel or before start). */
export function relay(message: RelayMessage): void {
  channel?.postMessage(message);
}

/** Listen to the other tabs of this user; returns the function that stops. */
export function startTabRelay(userId: string, handlers: RelayHandlers): Unsubscribe {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const own = new BroadcastChannel(`zhixin-tabs-${userId}`);
  channel = own;
  own.onmessage = (e: MessageEvent<RelayMessage>) => {
    const m = e.data;
    if (m.kind === 'created') handlers.created(m.message);
    else if (m.kind === 'updated') handlers.updated(m.message);
    else if (m.kind === 'settings') handlers.settings(m.settings);
    else if (m.kind === 'read') handlers.read(m.conversationId, m.readSeq);
    else handlers.left(m.conversationId);
  };
  return () => {
    own.close();
    if (channel === own) channel = null;
  };
}
