import type { ModuleDeps } from '../deps.ts';
import { scheduleJob } from '../../platform/scheduler.ts';
import type { ImagesService } from '../images/index.ts';
import type { UsersService } from '../users/index.ts';
import type { ConversationsContext } from './conversations.context.ts';
import { ConversationsRepo } from './conversations.repo.ts';
import { registerConversationRoutes } from './conversations.routes.ts';
import { ConversationsCore } from './conversations.service.ts';
import type { ConversationsService } from './conversations.types.ts';
import { GroupAdmin } from './groups.admin.ts';
import { GroupJoins } from './groups.join.ts';
import { GroupLifecycle } from './groups.lifecycle.ts';
import { GroupsStaffRepo } from './groups.staff.ts';
import { GroupsRepo } from './groups.repo.ts';
import { registerGroupRoutes } from './groups.routes.ts';
import { GroupsCore } from './groups.service.ts';
import { MembersRepo } from './members.repo.ts';
import { ChannelsCore } from './channels.ts';
import { loadMemberships, MembershipCache } from './membership-cache.ts';
import { requireMember } from './conversations.context.ts';

export { emitToConversation } from './audience.ts';
export type {
  Caller,
  ChannelsService,
  ConversationDigest,
  ConversationsService,
  DigestSource,
  Membership,
  ReadState,
  SystemPoster,
} from './conversations.types.ts';
export { MEMBERS_CHANGED_SUBJECT } from './membership-cache.ts';
export { SYNC_OVERLAP_MS } from './conversations.service.ts';
export type { GroupsStaff, StaffGroupRecord } from './groups.staff.ts';
export { CONTENT_CONTEXT, chunks } from './conversations.rows.ts';
export { claimSeqsSql } from './conversations.repo.ts';
export { writeTransaction } from '../../platform/db/index.ts';

/** Conversations and groups: membership, settings, read positions; registers conversations.* and groups.*. */
export function createConversationsModule(
  deps: ModuleDeps & { users: UsersService; images: ImagesService },
): ConversationsService {
  const { platform } = deps;
  const members = new MembersRepo(platform.db, platform.keyring);
  const groupsRepo = new GroupsRepo(platform.db, platform.keyring);
  const cache = new MembershipCache(loadMemberships(members, groupsRepo), platform.broker);
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
    groups: groupsRepo,
    system: { poster: null },
    now: () => Date.now(),
  };
  const core = new ConversationsCore(ctx);
  const groups = new GroupsCore(ctx);
  const groupsConfig = platform.config.groups;
  const lifecycle = new GroupLifecycle(ctx, () => groupsConfig.temporaryIdleDays);
  const staffRepo = new GroupsStaffRepo(platform.db);
  registerGroupRoutes(
    deps.ops,
    new GroupAdmin(ctx, deps.images),
    new GroupJoins(ctx, deps.codes, groupsConfig.codeValidityDays),
    lifecycle,
  );
  const cleanupJob = scheduleJob({
    db: platform.db,
    log: platform.log,
    name: 'groups.cleanupTemporary',
    holder: platform.nodeId,
    intervalMs: groupsConfig.cleanupIntervalMinutes * 60_000,
    run: () => lifecycle.cleanup(false),
  });
  const service: ConversationsService = {
    list: (c, since) => core.list(c, since),
    get: (c, id) => core.get(c, id),
    openDirect: (c, peerId) => core.openDirect(c, peerId),
    members: (c, id) => core.members(c, id),
    updateSettings: (c, body) => core.updateSettings(c, body),
    saveDraft: (c, id, text) => core.saveDraft(c, id, text),
    markRead: (c, id, seq) => core.markRead(c, id, seq),
    typing: (c, id, typing) => core.typing(c, id, typing),
    createGroup: (c, title, ids, opts) => groups.create(c, title, ids, opts),
    renameGroup: (c, id, title) => groups.rename(c, id, title),
    addMembers: (c, id, ids) => groups.addMembers(c, id, ids),
    removeMembers: (c, id, ids) => groups.removeMembers(c, id, ids),
    leaveGroup: (c, id) => groups.leave(c, id),
    channels: new ChannelsCore(ctx),
    membership: async (id) => cache.get(id),
    requireMember: (id, userId) => requireMember(ctx, id, userId),
    readPositions: (id) => members.readPositions(id),
    groupIdsOf: (ids) => members.groupIdsOf(ids),
    reserveSeqs: (trx, counts, now) => ctx.conversations.reserveSeqs(trx, counts, now),
    markChanged: (id, now) => ctx.conversations.touch(id, now),
    setDigestSource: (source) => {
      ctx.digests.source = source;
    },
    setSystemPoster: (poster) => {
      ctx.system.poster = poster;
    },
    staff: {
      async list(f, offset, limit) {
        const [groups, total] = await Promise.all([staffRepo.page(f, offset, limit), staffRepo.count(f)]);
        return { groups, total };
      },
      get: async (id) => (await staffRepo.page({ id, status: 'all' }, 0, 1))[0] ?? null,
      members: async (id) =>
        (await members.list(id)).map((m) => ({ userId: m.userId, role: m.role, joinedAt: m.joinedAt })),
      dissolve: (actorId, id) => lifecycle.dissolveAsStaff(actorId, id),
    },
    close: () => cleanupJob.stop(),
  };
  registerConversationRoutes(deps.ops, service);
  return service;
}
