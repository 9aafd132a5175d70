import type { LoadMany } from '../../platform/batched-load.ts';
import { SharedCache, type Broker } from '../../platform/broker/index.ts';
import type { Membership, SendBlock, SendPolicy } from './conversations.types.ts';
import type { GroupsRepo } from './groups.repo.ts';
import type { MembersRepo } from './members.repo.ts';

/** Broker subject on which a node announces that a conversation's members changed. */
export const MEMBERS_CHANGED_SUBJECT = 'zx.conv.members';

/** Memberships of conversations by id (null: no such conversation), in the order asked. */
export type MembershipLoader = LoadMany<Membership | null>;

/**
 * Per-process cache of who is in each conversation, so the send path needs no query. Any node that
 * changes a membership publishes on MEMBERS_CHANGED_SUBJECT and every node drops its copy (see
 * SharedCache, which also drops everything when the broker connection comes back). The misses of
 * one turn of the event loop load together (a process that just started meets thousands at once).
 */
export class MembershipCache extends SharedCache<Membership | null> {
  constructor(loadMany: MembershipLoader, broker: Broker, maxEntries = 50_000) {
    super({ subject: MEMBERS_CHANGED_SUBJECT, keyField: 'conversationId', loadMany, broker, maxEntries });
  }
}

/**
 * The loader of the membership cache: the members of all the conversations asked for in one query,
 * and the send rules of the groups among them (dissolved, mute all, muted members) in two more.
 */
export function loadMemberships(members: MembersRepo, groups: GroupsRepo): MembershipLoader {
  return async (ids) => {
    const found = await members.memberships(ids);
    const groupIds = ids.flatMap((id, i) => {
      const m = found[i];
      return m?.kind === 'group' ? [{ id, privilegedIds: m.privilegedIds }] : [];
    });
    const policies = groupIds.length > 0 ? await groups.sendPolicies(groupIds) : undefined;
    return ids.map((id, i) => {
      const m = found[i];
      if (!m) return null;
      if (m.kind === 'channel') return channelMembershipOf(id, m.memberIds);
      return membershipOf(id, m.kind, m.memberIds, policies?.get(id));
    });
  };
}

/**
 * A channel's membership: every user reads it (and may keep settings in it), only its publishers
 * (owner and admins) post. `memberIds` holds the publishers: a channel's events go to everyone
 * through `EventSink.emitToAll`, never to a list (see `emitToConversation`).
 */
export function channelMembershipOf(conversationId: string, publisherIds: readonly string[]): Membership {
  const publishers = new Set(publisherIds);
  return {
    conversationId,
    kind: 'channel',
    memberIds: publisherIds,
    has: () => true,
    sendBlock: (userId) => (publishers.has(userId) ? null : 'CHANNEL_READ_ONLY'),
  };
}

/** A membership value from member ids (and, for a group, its send policy). */
export function membershipOf(
  conversationId: string,
  kind: Membership['kind'],
  memberIds: readonly string[],
  policy?: SendPolicy,
): Membership {
  const set = new Set(memberIds);
  const sendBlock = (userId: string, now: number): SendBlock | null => {
    if (!policy) return null;
    if (policy.dissolved) return 'GROUP_DISSOLVED';
    if (policy.privileged.has(userId)) return null;
    if (policy.muteAll) return 'MEMBER_MUTED';
    const until = policy.mutedUntil.get(userId);
    return until !== undefined && until > now ? 'MEMBER_MUTED' : null;
  };
  return { conversationId, kind, memberIds, has: (userId) => set.has(userId), sendBlock };
}
