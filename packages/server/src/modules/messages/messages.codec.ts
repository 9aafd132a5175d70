import { createHash } from 'node:crypto';
import {
  MAX_TEXT_BYTES,
  type Message,
  type MessageContent,
  type Reaction,
  type SystemContent,
} from '@zhixin/protocol';

type StoredContent = MessageContent | SystemContent;
import type { Selectable } from 'kysely';
import { AppError } from '../../errors.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB } from '../../platform/db/index.ts';
import { CONTENT_CONTEXT } from '../conversations/index.ts';
import { LEGACY_MAC, type MessageIntegrity, type TamperReason } from './integrity.ts';

export type MessageRow = Selectable<DB['messages']>;
/** A row to insert: its MAC is computed as it goes in. */
export type NewMessageRow = Omit<MessageRow, 'mac'>;

/** The encrypted `extra_enc` column: what a message replies to and where it was forwarded from. */
export interface MessageExtra {
  replyTo: Message['replyTo'];
  forwardedFrom: Message['forwardedFrom'];
}

/** Refuse text over 2,048 bytes of UTF-8 (the schema bounds characters, not bytes). */
export function checkTextBytes(content: MessageContent): void {
  if (content.kind !== 'text') return;
  const bytes = Buffer.byteLength(content.text, 'utf8');
  if (bytes > MAX_TEXT_BYTES) throw new AppError('MESSAGE_TOO_LONG', { bytes, max: MAX_TEXT_BYTES });
}

const PREVIEW_CHARS = 50;
const KIND_LABELS: Record<StoredContent['kind'], string> = {
  text: '',
  system: '[系统消息]',
  image: '[图片]',
  file: '[文件]',
  voice: '[语音]',
  video: '[视频]',
};
export const RECALLED_LABEL = '[已撤回]';

/** What a reply shows of the message it quotes: the start of its text, or a label for its kind. */
export function previewOf(content: StoredContent | null): string {
  if (!content) return RECALLED_LABEL;
  if (content.kind === 'text') return Array.from(content.text).slice(0, PREVIEW_CHARS).join('');
  if (content.kind === 'file') return `${KIND_LABELS.file} ${content.name}`;
  return KIND_LABELS[content.kind];
}

/**
 * JSON with object keys sorted (by UTF-16 code units, as `<` compares) and undefined members left
 * out. Stored client hashes are made from this text, so it must never change; written with loops
 * and string concatenation because it runs for every send.
 */
export function stable(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + stable(value[i]);
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, the same order as `<` on strings.
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${stable(member)}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Fingerprint of a send request: a retry with the same client id must carry the same one. */
export function requestHash(request: unknown): string {
  return createHash('sha256').update(stable(request)).digest('base64url').slice(0, 22);
}

/** Seals and opens message columns, and turns rows into protocol messages. */
export class MessageCodec {
  constructor(
    private readonly keyring: Keyring,
    readonly integrity: MessageIntegrity,
  ) {}

  sealContent(content: StoredContent): string {
    return this.keyring.seal(JSON.stringify(content), CONTENT_CONTEXT);
  }

  sealExtra(extra: MessageExtra): string | null {
    if (!extra.replyTo && !extra.forwardedFrom) return null;
    return this.keyring.seal(JSON.stringify(extra), CONTENT_CONTEXT);
  }

  /**
   * The row as a protocol message, after its integrity check. A row that fails it (or whose sealed
   * columns do not open) is still returned, so a page never breaks, but flagged `integrity:
   * 'tampered'` with nothing of its content, mentions, reply or forward: none of it is trustworthy.
   */
  toMessage(row: MessageRow, reactions: Reaction[]): ReadMessage {
    const tampered = this.integrity.check(row);
    if (tampered) return { message: tamperedMessage(row, reactions), tampered };
    let extra: MessageExtra;
    let content: StoredContent | null;
    let mentions: Message['mentions'];
    try {
      mentions = JSON.parse(row.mentions) as Message['mentions'];
      extra = row.extra_enc
        ? (JSON.parse(this.keyring.open(row.extra_enc, CONTENT_CONTEXT)) as MessageExtra)
        : { replyTo: null, forwardedFrom: null };
      content = row.content_enc
        ? (JSON.parse(this.keyring.open(row.content_enc, CONTENT_CONTEXT)) as StoredContent)
        : null;
    } catch (err) {
      // A verified row that does not open is a key problem (e.g. UNAVAILABLE while a new data key
      // loads), not a forgery: let it fail. An unverified (legacy) one was written garbage into.
      if (row.mac !== LEGACY_MAC || err instanceof AppError) throw err;
      return { message: tamperedMessage(row, reactions), tampered: 'unreadable content' };
    }
    return {
      message: {
        ...timesOf(row, reactions),
        content,
        mentions,
        replyTo: extra.replyTo ?? null,
        forwardedFrom: extra.forwardedFrom ?? null,
        ...(Number(row.file_expired) === 1 ? { fileExpired: true as const } : {}),
      },
      tampered: null,
    };
  }
}

/** A row read, and why it failed its integrity check (null when it passed). */
export interface ReadMessage {
  message: Message;
  tampered: TamperReason | null;
}

function timesOf(
  row: MessageRow,
  reactions: Reaction[],
): Omit<Message, 'content' | 'mentions' | 'replyTo' | 'forwardedFrom'> {
  return {
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    id: row.id,
    clientId: row.client_id,
    senderId: row.sender_id,
    reactions,
    createdAt: Number(row.created_at),
    editedAt: row.edited_at === null ? null : Number(row.edited_at),
    recalledAt: row.recalled_at === null ? null : Number(row.recalled_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

function tamperedMessage(row: MessageRow, reactions: Reaction[]): Message {
  return {
    ...timesOf(row, reactions),
    content: null,
    mentions: [],
    replyTo: null,
    forwardedFrom: null,
    integrity: 'tampered',
  };
}

/** Reactions rows (oldest first) aggregated per emoji, in order of first use. */
export function aggregateReactions(rows: ReadonlyArray<{ emoji: string; user_id: string }>): Reaction[] {
  const byEmoji = new Map<string, string[]>();
  for (const r of rows) {
    const users = byEmoji.get(r.emoji);
    if (users) users.push(r.user_id);
    else byEmoji.set(r.emoji, [r.user_id]);
  }
  return [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds }));
}
