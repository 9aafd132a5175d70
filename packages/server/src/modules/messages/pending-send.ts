import type { Message, MessageContent, SystemContent } from '@zhixin/protocol';
import type { Caller, Membership } from '../conversations/index.ts';
import type { CheckedFile, SendOrigin } from './attachments.ts';
import type { MessageExtra, NewMessageRow } from './messages.codec.ts';

/** What a send of a file carries to its evidence record: the request's origin and the checked file. */
export interface FileEvidence {
  origin: SendOrigin;
  file: CheckedFile | undefined;
}

/** What a committed send came to. */
export interface SendResult {
  message: Message;
  /** False when this was a retry answered with the original message (no event then). */
  created: boolean;
}

/** One send waiting for its group commit: validated, authorized and sealed. */
export interface PendingSend {
  caller: Caller;
  membership: Membership;
  id: string;
  clientId: string;
  clientHash: string;
  content: MessageContent | SystemContent;
  contentSealed: string;
  mentions: Message['mentions'];
  extra: MessageExtra;
  extraSealed: string | null;
  /** A send or forward of a file: what its evidence record needs. */
  evidence?: FileEvidence;
}

/** The row a pending send is stored as, at its seq. */
export function rowOf(item: PendingSend, seq: number, now: number): NewMessageRow {
  return {
    conversation_id: item.membership.conversationId,
    seq,
    id: item.id,
    client_id: item.clientId,
    client_hash: item.clientHash,
    sender_id: item.caller.userId,
    kind: item.content.kind,
    content_enc: item.contentSealed,
    mentions: JSON.stringify(item.mentions),
    extra_enc: item.extraSealed,
    created_at: now,
    edited_at: null,
    recalled_at: null,
    updated_at: now,
    version: 1,
    file_expired: 0,
  };
}

/** The message a pending send is acknowledged with, at its seq. */
export function messageOf(item: PendingSend, seq: number, now: number): Message {
  return {
    conversationId: item.membership.conversationId,
    seq,
    id: item.id,
    clientId: item.clientId,
    senderId: item.caller.userId,
    content: item.content,
    mentions: item.mentions,
    replyTo: item.extra.replyTo,
    forwardedFrom: item.extra.forwardedFrom,
    reactions: [],
    createdAt: now,
    editedAt: null,
    recalledAt: null,
    updatedAt: now,
    version: 1,
  };
}
