import type { Conversation, EventBody, EventName, MemberSettings } from '@zhixin/protocol';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.ts';
import type { Keyring } from '../../platform/crypto/index.ts';
import type { DB, Dialect } from '../../platform/db/index.ts';
import type { EventSink } from '../../platform/events.ts';
import type { UsersService } from '../users/index.ts';
import type { ConversationsRepo } from './conversations.repo.ts';
import { peerOf } from './conversations.rows.ts';
import type {
  Caller,
  ConversationDigest,
  DigestSource,
  MemberRecord,
  MemberView,
  Membership,
} from './conversations.types.ts';
import type { MembersRepo } from './members.repo.ts';
import type { MembershipCache } from './membership-cache.ts';

/** What the conversations and groups services share. */
export interface ConversationsContext {
  db: Kysely<DB>;
  dialect: Dialect;
  keyring: Keyring;
  conversations: ConversationsRepo;
  members: MembersRepo;
  cache: MembershipCache;
  events: EventSink;
  users: UsersService;
  digests: { source: DigestSource | null };
  now(): number;
}

const NO_DIGEST: ConversationDigest = { lastMessage: null, unreadCount: 0, mentionedMe: false };

export function settingsOf(me: MemberRecord): MemberSettings {
  return {
    conversationId: me.conversationId,
    readSeq: me.readSeq,
    pinned: me.pinned,
    muted: me.muted,
    hidden: me.hidden,
    draft: me.draft,
  };
}

function present(view: MemberView, digest: ConversationDigest): Conversation {
  const c = view.conversation;
  return {
    id: c.id,
    kind: c.kind,
    title: c.title,
    ownerId: c.ownerId,
    peerId: c.kind === 'direct' ? peerOf(c.directKey, view.me.userId) : null,
    memberCount: c.memberCount,
    lastSeq: c.lastSeq,
    lastMessage: digest.lastMessage,
    unreadCount: digest.unreadCount,
    mentionedMe: digest.mentionedMe,
    me: settingsOf(view.me),
    role: view.me.role,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Conversations as `userId` sees them, with last message, unread count and mentions. */
export async function presentViews(
  ctx: ConversationsContext,
  userId: string,
  views: readonly MemberView[],
): Promise<Conversation[]> {
  const states = views
    .filter((v) => v.conversation.lastSeq > 0)
    .map((v) => ({
      conversationId: v.conversation.id,
      lastSeq: v.conversation.lastSeq,
      readSeq: v.me.readSeq,
    }));
  const source = ctx.digests.source;
  const digests =
    source && states.length > 0
      ? await source.digests(userId, states)
      : new Map<string, ConversationDigest>();
  return views.map((v) => present(v, digests.get(v.conversation.id) ?? NO_DIGEST));
}

/** One conversation as the caller sees it: NOT_FOUND when it does not exist, NOT_MEMBER when not theirs. */
export async function viewOf(
  ctx: ConversationsContext,
  userId: string,
  conversationId: string,
): Promise<Conversation> {
  const [view] = await ctx.conversations.views(userId, { conversationId });
  if (!view) {
    if (!(await ctx.conversations.byId(conversationId))) throw AppError.notFound('conversation');
    throw new AppError('NOT_MEMBER');
  }
  const [out] = await presentViews(ctx, userId, [view]);
  return out as Conversation;
}

/** The caller's membership (cached), or NOT_FOUND / NOT_MEMBER. */
export async function requireMember(
  ctx: ConversationsContext,
  conversationId: string,
  userId: string,
): Promise<Membership> {
  const m = await ctx.cache.get(conversationId);
  if (!m) throw AppError.notFound('conversation');
  if (!m.has(userId)) throw new AppError('NOT_MEMBER');
  return m;
}

/** Emit to some users, skipping the caller's own device. */
export function emitFrom<E extends EventName>(
  ctx: ConversationsContext,
  caller: Caller,
  to: readonly string[],
  event: E,
  body: EventBody<E>,
): void {
  if (to.length > 0) ctx.events.emit(to, event, body, { exceptSessionId: caller.sessionId });
}
