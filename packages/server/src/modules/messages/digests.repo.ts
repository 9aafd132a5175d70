import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/index.ts';
import {
  chunks,
  type ConversationDigest,
  type DigestSource,
  type ReadState,
} from '../conversations/index.ts';
import type { MessagesRepo } from './messages.repo.ts';

/** A LIKE pattern matching `"value"` inside a JSON array, with LIKE's wildcards escaped. */
function jsonMemberPattern(value: string): string {
  return `%${JSON.stringify(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * What the conversation list shows per conversation: the last message, how many messages after my
 * read position others sent, and whether one of them mentions me (or all). A few queries for a
 * whole list, whatever its length.
 */
export class DigestsRepo implements DigestSource {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly messages: MessagesRepo,
  ) {}

  async digests(userId: string, states: readonly ReadState[]): Promise<Map<string, ConversationDigest>> {
    const out = new Map<string, ConversationDigest>();
    for (const s of states)
      out.set(s.conversationId, { lastMessage: null, unreadCount: 0, mentionedMe: false });
    for (const part of chunks(states, 200)) {
      const rows = await this.db
        .selectFrom('messages')
        .selectAll()
        .where((eb) =>
          eb.or(
            part.map((s) =>
              eb.and([eb('conversation_id', '=', s.conversationId), eb('seq', '=', s.lastSeq)]),
            ),
          ),
        )
        .execute();
      for (const m of await this.messages.present(rows)) {
        const d = out.get(m.conversationId);
        if (d) d.lastMessage = m;
      }
    }
    const behind = states.filter((s) => s.readSeq < s.lastSeq);
    const mine = jsonMemberPattern(userId);
    const all = jsonMemberPattern('all');
    for (const part of chunks(behind, 200)) {
      const rows = await this.db
        .selectFrom('messages')
        .select([
          'conversation_id',
          sql<number>`count(*)`.as('unread'),
          sql<number>`max(case when recalled_at is null and (mentions like ${mine} escape '\\' or mentions like ${all} escape '\\') then 1 else 0 end)`.as(
            'mentioned',
          ),
        ])
        .where('sender_id', '<>', userId)
        .where((eb) =>
          eb.or(
            part.map((s) =>
              eb.and([eb('conversation_id', '=', s.conversationId), eb('seq', '>', s.readSeq)]),
            ),
          ),
        )
        .groupBy('conversation_id')
        .execute();
      for (const r of rows) {
        const d = out.get(r.conversation_id);
        if (!d) continue;
        d.unreadCount = Number(r.unread);
        d.mentionedMe = Number(r.mentioned) === 1;
      }
    }
    return out;
  }
}
