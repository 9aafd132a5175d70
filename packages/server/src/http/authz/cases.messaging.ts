import { randomToken } from '../../platform/ids.ts';
import { mustCall, registerUser } from '../../testing/factories.ts';
import {
  GROUP_MANAGERS,
  MEMBERS,
  OWNER,
  SIGNED_IN,
  type CallerKind,
  type OpCase,
  type World,
} from './authz.types.ts';

/** A fresh client id: sends are idempotent by it, so every attempt needs its own. */
export function clientId(): string {
  return `authz-${randomToken(9)}`;
}

/**
 * `make`, run once per world (its result shared by every later call): for the resources read-only
 * cases share, built lazily so a run filtered to a few cases builds only what they need.
 */
export function oncePerWorld<T>(make: (w: World) => Promise<T>): (w: World) => Promise<T> {
  const made = new WeakMap<World, Promise<T>>();
  return (w) => {
    let value = made.get(w);
    if (!value) {
      value = make(w);
      made.set(w, value);
    }
    return value;
  };
}

/** A user who is none of the caller kinds (to be invited, removed, or to ask to join); one per world. */
export const outsiderOf = oncePerWorld((w) => registerUser(w.app));

export interface FreshGroupOptions {
  /** Only the owner in it (no groupAdmin, no member). */
  alone?: boolean;
  /** The outsider is a plain member too. */
  withOutsider?: boolean;
}

/**
 * A new group shaped like the world's (owner owns it, groupAdmin administers it, member is in it), for
 * cases that change or end a group: the world's group stays as every other case expects it.
 */
export async function freshGroup(w: World, opts: FreshGroupOptions = {}): Promise<string> {
  const { owner, groupAdmin, member } = w.users;
  const memberIds = opts.alone ? [] : [groupAdmin.userId, member.userId];
  if (opts.withOutsider) memberIds.push((await outsiderOf(w)).userId);
  const group = await mustCall(
    w.app,
    'groups.create',
    { title: 'authz fresh group', memberIds },
    owner.accessToken,
  );
  if (!opts.alone) {
    await mustCall(
      w.app,
      'groups.setAdmin',
      { conversationId: group.id, userId: groupAdmin.userId, admin: true },
      owner.accessToken,
    );
  }
  return group.id;
}

/** A new text message from the owner in the world's group; its seq. */
export async function ownerMessageInGroup(w: World): Promise<number> {
  const message = await mustCall(
    w.app,
    'messages.send',
    {
      conversationId: w.group.id,
      clientId: clientId(),
      content: { kind: 'text', text: 'a message of the owner' },
    },
    w.users.owner.accessToken,
  );
  return message.seq;
}

/** One message of the owner in the world's group (for read-only cases). */
const groupMessageOf = oncePerWorld(ownerMessageInGroup);

const inGroup = (w: World) => ({ conversationId: w.group.id });

/** conversations.*, groups.create/rename/members/leave, messages.*, presence.query. */
export const opCases: OpCase[] = [
  {
    op: 'conversations.list',
    allow: SIGNED_IN,
    rule: 'any signed-in user (lists only their own conversations)',
    prepare: () => ({}),
  },
  { op: 'conversations.get', allow: MEMBERS, rule: 'member of the conversation', prepare: inGroup },
  {
    op: 'conversations.openDirect',
    allow: SIGNED_IN,
    rule: 'any signed-in user, with any existing user (a block refuses the sending, not the chat)',
    prepare: (w) => ({ userId: w.users.owner.userId }),
  },
  { op: 'conversations.members', allow: MEMBERS, rule: 'member of the conversation', prepare: inGroup },
  {
    op: 'conversations.updateSettings',
    allow: MEMBERS,
    rule: 'member of the conversation (their own settings)',
    prepare: (w) => ({ conversationId: w.group.id, pinned: false }),
  },
  {
    op: 'conversations.saveDraft',
    allow: MEMBERS,
    rule: 'member of the conversation (their own draft)',
    prepare: (w) => ({ conversationId: w.group.id, text: '' }),
  },
  {
    op: 'conversations.markRead',
    allow: MEMBERS,
    rule: 'member of the conversation (their own read position)',
    prepare: (w) => ({ conversationId: w.group.id, seq: 0 }),
  },
  {
    op: 'conversations.typing',
    allow: MEMBERS,
    rule: 'member of the conversation',
    prepare: (w) => ({ conversationId: w.group.id, typing: false }),
  },

  {
    op: 'groups.create',
    allow: SIGNED_IN,
    rule: 'any signed-in user (who becomes its owner)',
    prepare: (w) => ({ title: 'authz new group', memberIds: [w.users.member.userId] }),
  },
  {
    op: 'groups.rename',
    allow: GROUP_MANAGERS,
    rule: "the group's owner or an admin of it",
    prepare: async (w) => ({ conversationId: await freshGroup(w), title: 'renamed' }),
  },
  {
    op: 'groups.addMembers',
    allow: MEMBERS,
    rule: 'member of the group (with join approval on, a plain member only asks for them)',
    prepare: async (w) => ({
      conversationId: await freshGroup(w),
      userIds: [(await outsiderOf(w)).userId],
    }),
  },
  {
    op: 'groups.removeMembers',
    allow: GROUP_MANAGERS,
    rule: "the group's owner, or an admin of it removing plain members",
    prepare: async (w) => ({
      conversationId: await freshGroup(w, { withOutsider: true }),
      userIds: [(await outsiderOf(w)).userId],
    }),
  },
  {
    op: 'groups.leave',
    allow: MEMBERS,
    rule: 'member of the group (the owner only once alone in it or after dissolving it)',
    // The owner of a group with others must hand it over first (OWNER_MUST_TRANSFER): theirs is alone.
    prepare: async (w, caller: CallerKind) => ({
      conversationId: await freshGroup(w, { alone: caller === 'owner' }),
    }),
  },

  {
    op: 'messages.send',
    allow: MEMBERS,
    rule: 'member of the conversation (not muted; in a direct chat, not blocked by the other)',
    prepare: (w) => ({
      conversationId: w.group.id,
      clientId: clientId(),
      content: { kind: 'text', text: 'hello' },
    }),
  },
  {
    op: 'messages.forward',
    allow: MEMBERS,
    rule: 'member of the target conversation and of the one the message comes from',
    prepare: async (w) => ({
      conversationId: w.group.id,
      clientId: clientId(),
      from: { conversationId: w.group.id, seq: await groupMessageOf(w) },
    }),
  },
  {
    op: 'messages.history',
    allow: MEMBERS,
    rule: 'member of the conversation',
    prepare: (w) => ({ conversationId: w.group.id, limit: 10 }),
  },
  {
    op: 'messages.changes',
    allow: MEMBERS,
    rule: 'member of the conversation',
    prepare: (w) => ({ conversationId: w.group.id, since: 0 }),
  },
  {
    op: 'messages.edit',
    allow: OWNER,
    rule: "the message's sender (a text message, not recalled)",
    prepare: async (w) => ({
      conversationId: w.group.id,
      seq: await ownerMessageInGroup(w),
      content: { kind: 'text', text: 'edited' },
    }),
  },
  {
    op: 'messages.recall',
    allow: OWNER,
    rule: "the message's sender, within the recall window",
    prepare: async (w) => ({ conversationId: w.group.id, seq: await ownerMessageInGroup(w) }),
  },
  {
    op: 'messages.react',
    allow: MEMBERS,
    rule: 'member of the conversation',
    prepare: async (w) => ({
      conversationId: w.group.id,
      seq: await groupMessageOf(w),
      emoji: '👍',
      on: true,
    }),
  },
  {
    op: 'messages.readers',
    allow: MEMBERS,
    rule: 'member of the conversation',
    prepare: async (w) => ({ conversationId: w.group.id, seq: await groupMessageOf(w) }),
  },

  {
    op: 'presence.query',
    allow: SIGNED_IN,
    rule: 'any signed-in user (presence is visible company-wide)',
    prepare: (w) => ({ userIds: [w.users.owner.userId, w.users.member.userId] }),
  },
];
