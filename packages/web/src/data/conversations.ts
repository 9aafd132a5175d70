import type { Conversation } from '@zhixin/sdk';
import { useMemo } from 'react';
import { create } from 'zustand';
import { mergeConversation, sortedVisible } from './conversation-math.ts';

interface ConversationsState {
  /** All my conversations (hidden ones too: a new message brings them back), by id. */
  byId: Record<string, Conversation>;
  /** The server has answered at least once since start (else the list is the cache's). */
  synced: boolean;
}

/** My conversations as this device knows them: from the cache at start, then from sync and events. */
export const useConversations = create<ConversationsState>(() => ({ byId: {}, synced: false }));

/** Store server copies (merged with what live events moved meanwhile). */
export function putConversations(list: readonly Conversation[]): Conversation[] {
  if (list.length === 0) return [];
  const merged: Conversation[] = [];
  useConversations.setState((s) => {
    const byId = { ...s.byId };
    for (const c of list) {
      const next = mergeConversation(byId[c.id], c);
      byId[c.id] = next;
      merged.push(next);
    }
    return { byId };
  });
  return merged;
}

/** Change one conversation; returns the new copy (undefined when unknown). */
export function updateConversation(
  id: string,
  change: (c: Conversation) => Conversation,
): Conversation | undefined {
  const current = useConversations.getState().byId[id];
  if (!current) return undefined;
  const next = change(current);
  if (next !== current) useConversations.setState((s) => ({ byId: { ...s.byId, [id]: next } }));
  return next;
}

export function removeConversation(id: string): void {
  useConversations.setState((s) => {
    if (!s.byId[id]) return s;
    const byId = { ...s.byId };
    delete byId[id];
    return { byId };
  });
}

export function resetConversations(): void {
  useConversations.setState({ byId: {}, synced: false }, true);
}

export function getConversation(id: string): Conversation | undefined {
  return useConversations.getState().byId[id];
}

export function useConversation(id: string | undefined): Conversation | undefined {
  return useConversations((s) => (id ? s.byId[id] : undefined));
}

/** The list: visible conversations, pinned first, then by last activity. */
export function useSortedConversations(): Conversation[] {
  const byId = useConversations((s) => s.byId);
  return useMemo(() => sortedVisible(byId), [byId]);
}
