import { befriend } from '../../testing/friends.ts';
import { SIGNED_IN, type CallerKind, type OpCase, type World } from './authz.types.ts';
import { bystander, newFriendshipOf } from './cases.friends.ts';

const befriended = new WeakMap<World, Map<CallerKind, Promise<unknown>>>();

/** A user who is the caller's friend, the same for every attempt (made friends once per caller). */
async function steadyFriendOf(w: World, caller: CallerKind): Promise<string> {
  const friend = await bystander(w, 'steady friend');
  if (caller === 'anonymous') return friend.userId;
  let done = befriended.get(w);
  if (!done) {
    done = new Map();
    befriended.set(w, done);
  }
  let friendship = done.get(caller);
  if (!friendship) {
    friendship = befriend(w.app, w.users[caller], friend);
    done.set(caller, friendship);
  }
  await friendship;
  return friend.userId;
}

/** My contact list: my friends, with my private remarks. */
export const opCases: OpCase[] = [
  { op: 'contacts.list', allow: SIGNED_IN, rule: 'signed in: my own contacts' },
  {
    op: 'contacts.add',
    allow: SIGNED_IN,
    rule: 'signed in: only a friend (else NOT_FRIENDS); sets my remark',
    prepare: async (w, caller) => ({ userId: await steadyFriendOf(w, caller), remark: '老同学' }),
  },
  {
    op: 'contacts.remove',
    allow: SIGNED_IN,
    rule: 'signed in: my own contacts',
    prepare: async (w, caller) => ({ userId: await newFriendshipOf(w, caller) }),
  },
  {
    op: 'contacts.setRemark',
    allow: SIGNED_IN,
    rule: 'signed in: my own contacts',
    prepare: async (w, caller) => ({ userId: await steadyFriendOf(w, caller), remark: '同事' }),
  },
];
