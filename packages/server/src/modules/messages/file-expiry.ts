import type { EventSink } from '../../platform/events.ts';
import { emitToConversation, type ConversationsService } from '../conversations/index.ts';
import type { MessagesRepo } from './messages.repo.ts';

/** A message that carries a file, by its place. */
export interface FileMessageRef {
  conversationId: string;
  seq: number;
}

/**
 * Show these messages as "file expired" everywhere: set `fileExpired`, bump their versions and
 * push `message.updated.v1` to the members, so every device converges (R-M3). Returns how many changed.
 */
export async function markFilesExpired(
  deps: { repo: MessagesRepo; conversations: ConversationsService; events: EventSink },
  refs: readonly FileMessageRef[],
  now: number = Date.now(),
): Promise<number> {
  const byConversation = new Map<string, number[]>();
  for (const r of refs) {
    const seqs = byConversation.get(r.conversationId);
    if (seqs) seqs.push(r.seq);
    else byConversation.set(r.conversationId, [r.seq]);
  }
  let changed = 0;
  for (const [conversationId, seqs] of byConversation) {
    const messages = await deps.repo.markFileExpired(conversationId, seqs, now);
    if (messages.length === 0) continue;
    changed += messages.length;
    await deps.conversations.markChanged(conversationId, now);
    const membership = await deps.conversations.membership(conversationId);
    if (!membership) continue;
    for (const message of messages)
      emitToConversation(deps.events, membership, 'message.updated.v1', message);
  }
  return changed;
}
