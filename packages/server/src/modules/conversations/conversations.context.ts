import type { Conversation, EventBody, EventName, GroupInfo, Member, MemberSettings } from '@zhixin/protocol';
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
  SystemPoster,
} from './conversations.types.ts';
import type { GroupSettings, GroupsRepo } from './groups.repo.ts';
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
  groups: GroupsRepo;
  system: { poster: SystemPoster | null };
  now(): number;
}

/** What a member sees of a group's settings. */
export function groupInfoOf(settings: GroupSettings, myMutedUntil: number | null): GroupInfo {
  return {
    avatarImageId: settings.avatarImageId,
    announcement: settings.announcement,
    joinApproval: settings.joinApproval,
    muteAll: settings.muteAll,
    temporary: settings.temporary,
    dissolvedAt: settings.dissolvedAt,
    myMutedUntil,
  };
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

function present(view: MemberView, digest: ConversationDigest, group: GroupInfo | undefined): Conversation {
  const c = view.conversation;
  const out: Conversation = {
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
  if (group) out.group = group;
  return out;
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
  const groupIds = views.filter((v) => v.conversation.kind === 'group').map((v) => v.conversation.id);
  const settings =
    groupIds.length > 0 ? await ctx.groups.settingsOf(groupIds) : new Map<string, GroupSettings>();
  const muted =
    groupIds.length > 0 ? await ctx.groups.mutedUntilOf(userId, groupIds) : new Map<string, number>();
  return views.map((v) => {
    const s = settings.get(v.conversation.id);
    const group = s ? groupInfoOf(s, muted.get(v.conversation.id) ?? null) : undefined;
    return present(v, digests.get(v.conversation.id) ?? NO_DIGEST, group);
  });
}

/** One conversation as the caller sees it: NOT_FOUND when it does not exist, NOT_MEMBER when not theirs. */
export async function viewOf(
  ctx: ConversationsContext,
  userId: string,
  conversationId: string,
): Promise<Conversation> {
  const view = await ctx.conversations.view(userId, conversationId);
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

/** Members with their group nickname and mute (groups only). */
export async function memberListOf(ctx: ConversationsContext, conversationId: string): Promise<Member[]> {
  const members = await ctx.members.list(conversationId);
  const conv = await ctx.conversations.byId(conversationId);
  if (conv?.kind !== 'group') return members;
  const states = await ctx.groups.memberStates(conversationId);
  return members.map((m) => {
    const st = states.get(m.userId);
    return { ...m, nickname: st?.nickname ?? null, mutedUntil: st?.mutedUntil ?? null };
  });
}
