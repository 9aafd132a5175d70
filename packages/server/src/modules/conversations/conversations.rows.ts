import type { Draft } from '@zhixin/protocol';
import type { Selectable } from 'kysely';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';
import type { ConversationRecord, MemberRecord } from './conversations.types.ts';

/** Encryption context of message bodies, reply previews and drafts. */
export const CONTENT_CONTEXT = 'messages.content';

export type ConversationRow = Selectable<DB['conversations']>;
export type MemberRow = Selectable<DB['members']>;

export function toConversationRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    directKey: row.direct_key,
    ownerId: row.owner_id,
    lastSeq: Number(row.last_seq),
    memberCount: Number(row.member_count),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function sealDraft(keyring: Keyring, text: string): string {
  return keyring.seal(JSON.stringify({ text }), CONTENT_CONTEXT);
}

function openDraft(keyring: Keyring, sealed: string | null, updatedAt: number | null): Draft | null {
  if (sealed === null || updatedAt === null) return null;
  const { text } = JSON.parse(keyring.open(sealed, CONTENT_CONTEXT)) as { text: string };
  return { text, updatedAt: Number(updatedAt) };
}

export function toMemberRecord(row: MemberRow, keyring: Keyring): MemberRecord {
  return {
    conversationId: row.conversation_id,
    userId: row.user_id,
    role: row.role,
    joinedAt: Number(row.joined_at),
    readSeq: Number(row.read_seq),
    pinned: row.pinned === 1,
    muted: row.muted === 1,
    hidden: row.hidden === 1,
    draft: openDraft(keyring, row.draft_enc, row.draft_updated_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A fresh member row. */
export function newMemberRow(
  conversationId: string,
  userId: string,
  role: MemberRow['role'],
  now: number,
  opts: { readSeq?: number; hidden?: boolean } = {},
): MemberRow {
  return {
    conversation_id: conversationId,
    user_id: userId,
    role,
    joined_at: now,
    read_seq: opts.readSeq ?? 0,
    pinned: 0,
    muted: 0,
    hidden: opts.hidden ? 1 : 0,
    draft_enc: null,
    draft_updated_at: null,
    updated_at: now,
  };
}

/** The key that makes a direct chat unique per pair of users (order-independent). */
export function directKeyOf(a: string, b: string): string {
  return a <= b ? `${a}:${b}` : `${b}:${a}`;
}

/** The other user of a direct chat (oneself in a self-chat). */
export function peerOf(directKey: string | null, me: string): string | null {
  if (!directKey) return null;
  const [a, b] = directKey.split(':');
  return a === me ? (b ?? null) : (a ?? null);
}

/** Split a list into chunks (bounded IN lists and multi-row inserts). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
