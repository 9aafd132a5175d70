import { MAX_GROUP_MEMBERS, type Message, type SystemContent } from '@zhixin/protocol';
import { AppError } from '../../errors.ts';
import { emitFrom, type ConversationsContext } from './conversations.context.ts';
import { newMemberRow } from './conversations.rows.ts';
import type { Caller, ConversationRecord, MemberRecord } from './conversations.types.ts';
import type { GroupSettings } from './groups.repo.ts';
import { writeTransaction } from '../../platform/db/index.ts';

export type Role = MemberRecord['role'];
export const ANYONE: readonly Role[] = ['owner', 'admin', 'member'];
export const MANAGERS: readonly Role[] = ['owner', 'admin'];
export const OWNER: readonly Role[] = ['owner'];

export interface GroupAccess {
  conversation: ConversationRecord;
  me: MemberRecord;
  settings: GroupSettings;
}

export function groupFull(details: Record<string, number>): AppError {
  return new AppError('GROUP_FULL', { max: MAX_GROUP_MEMBERS, ...details });
}

/**
 * The group, my member row and its settings; NOT_FOUND, BAD_REQUEST (not a group), NOT_MEMBER,
 * FORBIDDEN (role), or GROUP_DISSOLVED (unless `allowDissolved`).
 */
export async function requireGroupRole(
  ctx: ConversationsContext,
  caller: Caller,
  conversationId: string,
  roles: readonly Role[],
  opts: { allowDissolved?: boolean } = {},
): Promise<GroupAccess> {
  const conversation = await ctx.conversations.byId(conversationId);
  if (!conversation) throw AppError.notFound('conversation');
  if (conversation.kind !== 'group') throw new AppError('BAD_REQUEST', { reason: 'not a group' });
  const me = await ctx.members.get(conversationId, caller.userId);
  if (!me) throw new AppError('NOT_MEMBER');
  const settings = await ctx.groups.settings(conversationId);
  if (settings.dissolvedAt !== null && !opts.allowDissolved) throw new AppError('GROUP_DISSOLVED');
  if (!roles.includes(me.role)) throw AppError.forbidden(`only ${roles.join(' or ')} may do this`);
  return { conversation, me, settings };
}

/** The member row of someone else in the group, or NOT_FOUND naming them. */
export async function requireOtherMember(
  ctx: ConversationsContext,
  conversationId: string,
  userId: string,
): Promise<MemberRecord> {
  const other = await ctx.members.get(conversationId, userId);
  if (!other) throw new AppError('NOT_FOUND', { what: 'member', userId }, 'No such member in this group');
  return other;
}

export async function requireUsers(ctx: ConversationsContext, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await ctx.users.existing(ids);
  const missing = ids.filter((u) => !found.has(u));
  if (missing.length > 0)
    throw new AppError('NOT_FOUND', { what: 'user', userIds: missing }, 'Some users do not exist');
}

/**
 * Put users into a group: the 1,000 cap is checked atomically with the insert (the conditional
 * member-count update), so nothing changes when it would be exceeded. Returns who was added.
 */
export async function admitMembers(
  ctx: ConversationsContext,
  conversationId: string,
  userIds: readonly string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const now = ctx.now();
  const added = await writeTransaction(ctx.db, ctx.dialect, async (trx) => {
    const conv = await ctx.conversations.addToMemberCount(
      trx,
      conversationId,
      userIds.length,
      now,
      MAX_GROUP_MEMBERS,
    );
    if (!conv) throw groupFull({ adding: userIds.length });
    // Newcomers start with nothing unread; history stays readable.
    const rows = userIds.map((u) =>
      newMemberRow(conversationId, u, 'member', now, { readSeq: conv.lastSeq }),
    );
    const inserted = await ctx.members.insertMany(trx, rows);
    const raced = userIds.length - inserted.length;
    if (raced > 0) await ctx.conversations.addToMemberCount(trx, conversationId, -raced, now);
    await ctx.groups.dropRequestsOf(trx, conversationId, inserted);
    return inserted;
  });
  if (added.length > 0) ctx.cache.changed(conversationId);
  return added;
}

/** Tell every member's devices (but the caller's) that the group changed; drop cached send rules. */
export async function groupChanged(
  ctx: ConversationsContext,
  caller: Caller | null,
  conversationId: string,
  reason: 'group' | 'members' | 'title' | 'dissolved',
): Promise<void> {
  ctx.cache.changed(conversationId);
  const members = await ctx.members.membership(conversationId);
  const to = members?.memberIds ?? [];
  if (caller) emitFrom(ctx, caller, to, 'conversation.changed.v1', { conversationId, reason });
  else if (to.length > 0) ctx.events.emit(to, 'conversation.changed.v1', { conversationId, reason });
}

/** The owner and admins: who hears about join requests. */
export async function managersOf(ctx: ConversationsContext, conversationId: string): Promise<string[]> {
  const members = await ctx.members.list(conversationId);
  return members.filter((m) => m.role !== 'member').map((m) => m.userId);
}

/** Post a system message (when the messages module is wired in, as in every running server). */
export async function postSystem(
  ctx: ConversationsContext,
  conversationId: string,
  actorId: string,
  content: Omit<SystemContent, 'kind' | 'actorId'>,
  mentions: Message['mentions'] = [],
): Promise<void> {
  const poster = ctx.system.poster;
  if (poster) await poster(conversationId, actorId, { kind: 'system', actorId, ...content }, mentions);
}
