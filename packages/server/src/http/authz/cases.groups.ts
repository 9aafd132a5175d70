import { mustCall } from '../../testing/factories.ts';
import { ADMINS, GROUP_MANAGERS, MEMBERS, OWNER, SIGNED_IN, type OpCase, type World } from './authz.types.ts';
import { freshGroup, outsiderOf } from './cases.messaging.ts';

/** A current group code of a group, as its owner shows it. */
async function codeOf(w: World, conversationId: string): Promise<string> {
  return (await mustCall(w.app, 'groups.code', { conversationId }, w.users.owner.accessToken)).code;
}

/** A fresh group that needs approval to join, with a pending request of the outsider; the request ref. */
async function groupWithJoinRequest(w: World): Promise<{ conversationId: string; requestId: string }> {
  const { owner } = w.users;
  const conversationId = await freshGroup(w);
  await mustCall(w.app, 'groups.setJoinApproval', { conversationId, required: true }, owner.accessToken);
  const outsider = await outsiderOf(w);
  const asked = await mustCall(
    w.app,
    'groups.joinByCode',
    { code: await codeOf(w, conversationId) },
    outsider.accessToken,
  );
  if (asked.status !== 'requested') throw new Error(`expected a join request, got ${asked.status}`);
  const { requests } = await mustCall(w.app, 'groups.joinRequests', { conversationId }, owner.accessToken);
  const request = requests.find((r) => r.userId === outsider.userId);
  if (!request) throw new Error('the join request is missing');
  return { conversationId, requestId: request.id };
}

const MANAGER_RULE = "the group's owner or an admin of it";

/**
 * Group management beyond create/rename/members. Settings that are harmless to repeat (clearing the
 * avatar, the announcement, mutes) run on the world's group; anything that changes who is in it,
 * who runs it, or whether it exists gets a fresh group per attempt.
 */
export const opCases: OpCase[] = [
  {
    op: 'groups.setAdmin',
    allow: OWNER,
    rule: "the group's owner",
    prepare: async (w) => ({
      conversationId: await freshGroup(w),
      userId: w.users.member.userId,
      admin: true,
    }),
  },
  {
    op: 'groups.transferOwnership',
    allow: OWNER,
    rule: "the group's owner, to another member",
    prepare: async (w) => ({ conversationId: await freshGroup(w), userId: w.users.member.userId }),
  },
  {
    op: 'groups.dissolve',
    allow: OWNER,
    rule: "the group's owner (operators dissolve through the admin console)",
    prepare: async (w) => ({ conversationId: await freshGroup(w) }),
  },
  {
    op: 'groups.setAvatar',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => ({ conversationId: w.group.id, imageId: null }),
  },
  {
    op: 'groups.setAnnouncement',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => ({ conversationId: w.group.id, text: '' }),
  },
  {
    op: 'groups.setJoinApproval',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => ({ conversationId: w.group.id, required: false }),
  },
  {
    op: 'groups.joinRequests',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => ({ conversationId: w.group.id }),
  },
  {
    op: 'groups.approveJoin',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => groupWithJoinRequest(w),
  },
  {
    op: 'groups.declineJoin',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => groupWithJoinRequest(w),
  },
  {
    op: 'groups.muteAll',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: (w) => ({ conversationId: w.group.id, on: false }),
  },
  {
    op: 'groups.muteMember',
    allow: GROUP_MANAGERS,
    rule: "the group's owner, or an admin of it muting a plain member",
    prepare: (w) => ({ conversationId: w.group.id, userId: w.users.member.userId, untilMs: null }),
  },
  {
    op: 'groups.setMyNickname',
    allow: MEMBERS,
    rule: 'member of the group (their own nickname)',
    prepare: (w) => ({ conversationId: w.group.id, nickname: '' }),
  },
  {
    op: 'groups.code',
    allow: MEMBERS,
    rule: 'member of the group',
    prepare: (w) => ({ conversationId: w.group.id }),
  },
  {
    op: 'groups.refreshCode',
    allow: GROUP_MANAGERS,
    rule: MANAGER_RULE,
    prepare: async (w) => ({ conversationId: await freshGroup(w) }),
  },
  {
    op: 'groups.preview',
    allow: SIGNED_IN,
    rule: 'any signed-in user holding a current code of the group',
    prepare: async (w) => ({ code: await codeOf(w, w.group.id) }),
  },
  {
    op: 'groups.joinByCode',
    allow: SIGNED_IN,
    rule: 'any signed-in user holding a current code of the group (or asks, when approval is on)',
    prepare: async (w) => ({ code: await codeOf(w, await freshGroup(w)) }),
  },
  { op: 'groups.temporary', allow: ADMINS, rule: 'administrators', prepare: () => ({}) },
  {
    op: 'groups.cleanupTemporary',
    allow: ADMINS,
    rule: 'administrators',
    prepare: () => ({ dryRun: true }),
  },
];
