import type { Meeting } from '@zhixin/protocol';
import { mustCall } from '../../testing/factories.ts';
import { SIGNED_IN, type CallerKind, type OpCase, type World } from './authz.types.ts';
import { perWorld } from './cases.admin.ts';

/**
 * Every case gets a meeting of its own (several end, lock or remove): the world's `owner` hosts it,
 * the `groupAdmin` is in it as a co-host, the `member` is in it as a participant; both were invited
 * (the meeting is invite-only). The stranger and staff have no part in it.
 */
const HOST_OR_COHOST: readonly CallerKind[] = ['owner', 'groupAdmin'];
const CONCERNED: readonly CallerKind[] = ['owner', 'groupAdmin', 'member'];
const MODERATOR_RULE = 'the host or a co-host (a participant: 403; anyone else: 404)';

async function freshMeeting(w: World): Promise<Meeting> {
  const { owner, groupAdmin, member } = w.users;
  const meeting = await mustCall(
    w.app,
    'meetings.create',
    { topic: '授权测试会议', settings: { inviteOnly: true } },
    owner.accessToken,
  );
  await mustCall(
    w.app,
    'meetings.invite',
    { meetingId: meeting.id, userIds: [groupAdmin.userId, member.userId] },
    owner.accessToken,
  );
  for (const user of [owner, groupAdmin, member]) {
    await mustCall(w.app, 'meetings.join', { meetingId: meeting.id }, user.accessToken);
  }
  await mustCall(
    w.app,
    'meetings.setCoHost',
    { meetingId: meeting.id, userId: groupAdmin.userId, coHost: true },
    owner.accessToken,
  );
  return meeting;
}

const inFresh =
  (extra: (w: World) => Record<string, unknown> = () => ({})) =>
  async (w: World) => ({ meetingId: (await freshMeeting(w)).id, ...extra(w) });

const onMember = inFresh((w) => ({ userId: w.users.member.userId }));

/** A meeting that stays, for deleting from one's own history. */
const historyMeeting = perWorld(freshMeeting);

/** Meetings (operations/meetings.ts). */
export const opCases: OpCase[] = [
  {
    op: 'meetings.create',
    allow: SIGNED_IN,
    rule: 'any signed-in user (who becomes its host)',
    prepare: () => ({ topic: '新会议' }),
  },
  {
    op: 'meetings.get',
    allow: CONCERNED,
    rule: 'the host, co-hosts, invitees and anyone who joined (others: 404)',
    prepare: inFresh(),
  },
  {
    op: 'meetings.update',
    allow: HOST_OR_COHOST,
    rule: MODERATOR_RULE,
    prepare: inFresh(() => ({ topic: '改过的主题' })),
  },
  {
    op: 'meetings.invite',
    allow: CONCERNED,
    rule: 'the host, a co-host or someone in the meeting',
    prepare: inFresh((w) => ({ userIds: [w.users.operator.userId] })),
  },
  {
    op: 'meetings.join',
    allow: CONCERNED,
    rule: 'anyone signed in with the code or id, unless locked (only those inside), invite-only (only invitees) or removed',
    prepare: inFresh(),
  },
  {
    op: 'meetings.leave',
    allow: CONCERNED,
    rule: 'the host, co-hosts, invitees and anyone who joined (others: 404)',
    prepare: inFresh(),
  },
  { op: 'meetings.muteAll', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: inFresh() },
  { op: 'meetings.unmuteAll', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: inFresh() },
  { op: 'meetings.mute', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: onMember },
  {
    op: 'meetings.unmute',
    allow: CONCERNED,
    rule: 'the host or a co-host; a participant only themself (unless the host forbids it)',
    prepare: onMember,
  },
  {
    op: 'meetings.remove',
    allow: HOST_OR_COHOST,
    rule: `${MODERATOR_RULE}; never the host`,
    prepare: onMember,
  },
  { op: 'meetings.lock', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: inFresh() },
  { op: 'meetings.unlock', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: inFresh() },
  {
    op: 'meetings.setCoHost',
    allow: ['owner'],
    rule: 'the host only (a co-host: 403)',
    prepare: inFresh((w) => ({ userId: w.users.member.userId, coHost: true })),
  },
  { op: 'meetings.end', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: inFresh() },
  { op: 'meetings.history', allow: SIGNED_IN, rule: 'any signed-in user (their own history)' },
  {
    op: 'meetings.deleteHistory',
    allow: SIGNED_IN,
    rule: 'any signed-in user (from their own history; the record stays for the host)',
    prepare: async (w) => ({ meetingIds: [(await historyMeeting(w)).id] }),
  },
  { op: 'meetings.record', allow: HOST_OR_COHOST, rule: MODERATOR_RULE, prepare: inFresh() },
];
