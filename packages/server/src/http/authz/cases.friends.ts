import { randomToken } from '../../platform/ids.ts';
import { mustCall, registerUser, type TestUser } from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';
import { OWNER, SIGNED_IN, type CallerKind, type OpCase, type World } from './authz.types.ts';

const perWorld = new WeakMap<World, Map<string, Promise<TestUser>>>();

/** A user none of the caller kinds is, one per world and `role` (the target of searches, blocks...). */
export function bystander(w: World, role: string): Promise<TestUser> {
  let users = perWorld.get(w);
  if (!users) {
    users = new Map();
    perWorld.set(w, users);
  }
  let user = users.get(role);
  if (!user) {
    user = registerUser(w.app);
    users.set(role, user);
  }
  return user;
}

/**
 * A user the caller has just made friends with (both have the other as a contact), for a case that
 * ends the friendship: the same user every time, befriended again (nobody befriends anonymous).
 */
export async function newFriendshipOf(w: World, caller: CallerKind): Promise<string> {
  const friend = await bystander(w, 'friend to part with');
  if (caller !== 'anonymous') await befriend(w.app, w.users[caller], friend);
  return friend.userId;
}

/** A pending friend request from a new user to the world's owner. */
async function requestToOwner(w: World): Promise<{ requestId: string }> {
  const from = await registerUser(w.app);
  const sent = await mustCall(
    w.app,
    'friends.request',
    { userId: w.users.owner.userId, message: '你好' },
    from.accessToken,
  );
  if (!sent.request) throw new Error('the owner accepted a friend request without being asked');
  return { requestId: sent.request.id };
}

/** My 致信号, search, friend requests, removal, the block list and privacy. */
export const opCases: OpCase[] = [
  {
    op: 'users.setAccount',
    allow: SIGNED_IN,
    rule: 'signed in: my own 致信号',
    prepare: () => ({ account: `zx${randomToken(9).replace(/[^A-Za-z0-9]/g, 'x')}` }),
  },
  {
    op: 'friends.search',
    allow: SIGNED_IN,
    rule: 'signed in; finds a user only as that user’s privacy allows (else: not found)',
    prepare: async (w) => ({ query: (await bystander(w, 'searched')).phone }),
  },
  {
    op: 'friends.request',
    allow: SIGNED_IN,
    rule: 'signed in; not to a user who blocked me (not found) or who takes no requests',
    prepare: async (w) => ({ userId: (await bystander(w, 'asked')).userId, message: '你好' }),
  },
  { op: 'friends.requests', allow: SIGNED_IN, rule: 'signed in: requests to me and from me' },
  {
    op: 'friends.accept',
    allow: OWNER,
    rule: 'the request’s target (anyone else: not found)',
    prepare: requestToOwner,
  },
  {
    op: 'friends.decline',
    allow: OWNER,
    rule: 'the request’s target (anyone else: not found)',
    prepare: requestToOwner,
  },
  {
    op: 'friends.remove',
    allow: SIGNED_IN,
    rule: 'signed in: ends my own friendship',
    prepare: async (w, caller) => ({ userId: await newFriendshipOf(w, caller) }),
  },
  {
    op: 'friends.block',
    allow: SIGNED_IN,
    rule: 'signed in: my own block list',
    prepare: async (w) => ({ userId: (await bystander(w, 'blocked')).userId }),
  },
  {
    op: 'friends.unblock',
    allow: SIGNED_IN,
    rule: 'signed in: my own block list',
    async prepare(w, caller) {
      const blocked = await bystander(w, 'unblocked');
      if (caller !== 'anonymous') {
        await mustCall(w.app, 'friends.block', { userId: blocked.userId }, w.users[caller].accessToken);
      }
      return { userId: blocked.userId };
    },
  },
  { op: 'friends.blocked', allow: SIGNED_IN, rule: 'signed in: my own block list' },
  { op: 'friends.privacy', allow: SIGNED_IN, rule: 'signed in: my own privacy settings' },
  {
    op: 'friends.updatePrivacy',
    allow: SIGNED_IN,
    rule: 'signed in: my own privacy settings',
    prepare: () => ({ findableByPhone: true }),
  },
];
