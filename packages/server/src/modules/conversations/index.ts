import type { ModuleDeps } from '../deps.ts';
import type { UsersService } from '../users/index.ts';
import type { ConversationsContext } from './conversations.context.ts';
import { ConversationsRepo } from './conversations.repo.ts';
import { registerConversationRoutes } from './conversations.routes.ts';
import { ConversationsCore } from './conversations.service.ts';
import type { ConversationsService } from './conversations.types.ts';
import { GroupsCore } from './groups.service.ts';
import { MembersRepo } from './members.repo.ts';
import { MembershipCache, membershipOf } from './membership-cache.ts';
import { requireMember } from './conversations.context.ts';

export type {
  Caller,
  ConversationDigest,
  ConversationsService,
  DigestSource,
  Membership,
  ReadState,
} from './conversations.types.ts';
export { MEMBERS_CHANGED_SUBJECT } from './membership-cache.ts';
export { SYNC_OVERLAP_MS } from './conversations.service.ts';
export { CONTENT_CONTEXT, chunks } from './conversations.rows.ts';
export { writeTransaction } from './write-transaction.ts';

/** Conversations and groups: membership, settings, read positions; registers conversations.* and groups.*. */
export function createConversationsModule(deps: ModuleDeps & { users: UsersService }): ConversationsService {
  const { platform } = deps;
  const members = new MembersRepo(platform.db, platform.keyring);
  const cache = new MembershipCache(async (id) => {
    const m = await members.membership(id);
    return m ? membershipOf(id, m.kind, m.memberIds) : null;
  }, platform.broker);
  const ctx: ConversationsContext = {
    db: platform.db,
    dialect: platform.dialect,
    keyring: platform.keyring,
    conversations: new ConversationsRepo(platform.db, platform.keyring),
    members,
    cache,
    events: deps.events,
    users: deps.users,
    digests: { source: null },
    now: () => Date.now(),
  };
  const core = new ConversationsCore(ctx);
  const groups = new GroupsCore(ctx);
  const service: ConversationsService = {
    list: (c, since) => core.list(c, since),
    get: (c, id) => core.get(c, id),
    openDirect: (c, peerId) => core.openDirect(c, peerId),
    members: (c, id) => core.members(c, id),
    updateSettings: (c, body) => core.updateSettings(c, body),
    saveDraft: (c, id, text) => core.saveDraft(c, id, text),
    markRead: (c, id, seq) => core.markRead(c, id, seq),
    typing: (c, id, typing) => core.typing(c, id, typing),
    createGroup: (c, title, ids) => groups.create(c, title, ids),
    renameGroup: (c, id, title) => groups.rename(c, id, title),
    addMembers: (c, id, ids) => groups.addMembers(c, id, ids),
    removeMembers: (c, id, ids) => groups.removeMembers(c, id, ids),
    leaveGroup: (c, id) => groups.leave(c, id),
    membership: (id) => cache.get(id),
    requireMember: (id, userId) => requireMember(ctx, id, userId),
    readPositions: (id) => members.readPositions(id),
    reserveSeqs: (trx, counts, now) => ctx.conversations.reserveSeqs(trx, counts, now),
    markChanged: (id, now) => ctx.conversations.touch(id, now),
    setDigestSource: (source) => {
      ctx.digests.source = source;
    },
  };
  registerConversationRoutes(deps.ops, service);
  return service;
}
