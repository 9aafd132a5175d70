import { newClientId, ZhixinError, type Message, type MessageContent } from '@zhixin/sdk';
import { client } from '../app/client.ts';
import { cacheWriter } from './cache-writer.ts';
import { applyMessageCreated } from './conversation-math.ts';
import { updateConversation } from './conversations.ts';
import { applyServerMessage, setPendingStatus, type PendingMessage } from './message-window.ts';
import { getWindow, updateWindow } from './messages.ts';
import { myUserId } from './me.ts';
import { relay } from './tab-relay.ts';

export interface SendTextInput {
  text: string;
  mentions?: Message['mentions'];
  replyTo?: Message | null;
}

/** Quote of a message for a reply: its sender and a short text preview. */
function replyOf(m: Message | null | undefined, preview: string): Message['replyTo'] {
  return m ? { seq: m.seq, senderId: m.senderId, preview } : null;
}

function errorCode(err: unknown): string {
  return err instanceof ZhixinError ? err.code : 'UNKNOWN';
}

/** The server stored a message of mine: it replaces the pending copy everywhere. */
export function acknowledge(m: Message): void {
  relay({ kind: 'created', message: m });
  updateWindow(m.conversationId, (w) => applyServerMessage(w, m));
  const next = updateConversation(m.conversationId, (c) => applyMessageCreated(c, m, myUserId()));
  if (next) cacheWriter.putConversations([next]);
  cacheWriter.putMessages([m]);
}

async function attempt(p: PendingMessage): Promise<void> {
  const replyToSeq = p.replyTo?.seq;
  try {
    const m = await client.messages.send(p.conversationId, p.content, {
      clientId: p.clientId,
      ...(p.mentions.length > 0 ? { mentions: p.mentions } : {}),
      ...(replyToSeq !== undefined ? { replyToSeq } : {}),
    });
    acknowledge(m);
  } catch (err) {
    updateWindow(p.conversationId, (w) => setPendingStatus(w, p.clientId, 'failed', errorCode(err)));
  }
}

/**
 * Send a text: it shows at once as pending, turns into the server's message on the ack, or shows
 * failed with a retry (same client id, so a retry never makes two messages).
 */
export function sendText(conversationId: string, input: SendTextInput): Promise<void> {
  const preview = input.replyTo?.content?.kind === 'text' ? input.replyTo.content.text.slice(0, 100) : '';
  const pending: PendingMessage = {
    clientId: newClientId(),
    conversationId,
    senderId: myUserId(),
    content: { kind: 'text', text: input.text },
    mentions: input.mentions ?? [],
    replyTo: replyOf(input.replyTo, preview),
    createdAt: Date.now(),
    status: 'sending',
  };
  updateWindow(conversationId, (w) => ({ ...w, pending: [...w.pending, pending] }));
  return attempt(pending);
}

/**
 * Send any content (a file, image, video or voice message whose file is already uploaded): shown
 * at once as pending, like a text. `clientId` lets the caller pick the idempotency key.
 */
export function sendContent(
  conversationId: string,
  content: MessageContent,
  clientId: string = newClientId(),
): Promise<void> {
  const pending: PendingMessage = {
    clientId,
    conversationId,
    senderId: myUserId(),
    content,
    mentions: [],
    replyTo: null,
    createdAt: Date.now(),
    status: 'sending',
  };
  updateWindow(conversationId, (w) => ({
    ...w,
    pending: [...w.pending.filter((p) => p.clientId !== clientId), pending],
  }));
  return attempt(pending);
}

export function retrySend(conversationId: string, clientId: string): Promise<void> {
  const p = getWindow(conversationId).pending.find((x) => x.clientId === clientId);
  if (!p) return Promise.resolve();
  updateWindow(conversationId, (w) => setPendingStatus(w, clientId, 'sending'));
  return attempt({ ...p, status: 'sending' });
}

export function discardPending(conversationId: string, clientId: string): void {
  updateWindow(conversationId, (w) => ({ ...w, pending: w.pending.filter((p) => p.clientId !== clientId) }));
}

/** Forward one message into each target; resolves with the targets that failed. */
export async function forwardMessage(from: Message, targetIds: readonly string[]): Promise<string[]> {
  const results = await Promise.allSettled(
    targetIds.map((id) =>
      client.messages.forward(id, { conversationId: from.conversationId, seq: from.seq }).then(acknowledge),
    ),
  );
  return targetIds.filter((_, i) => results[i]?.status === 'rejected');
}
