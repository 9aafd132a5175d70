import { isPendingRequest, type BlockedUser, type FriendRequest } from '@zhixin/sdk';
import { useEffect } from 'react';
import { create } from 'zustand';
import { client } from '../../app/client.ts';
import { useSession } from '../../app/session.ts';
import { putProfiles } from '../../data/people.ts';

interface FriendsState {
  incoming: FriendRequest[];
  outgoing: FriendRequest[];
  requestsLoaded: boolean;
  blocked: BlockedUser[];
  blockedLoaded: boolean;
}

const EMPTY: FriendsState = {
  incoming: [],
  outgoing: [],
  requestsLoaded: false,
  blocked: [],
  blockedLoaded: false,
};

/** Friend requests and my block list, as the server last told us. */
export const useFriends = create<FriendsState>(() => ({ ...EMPTY }));

/** Replace a request by id (or put a new one first): lists stay newest first. */
function upsert(list: FriendRequest[], r: FriendRequest): FriendRequest[] {
  return [r, ...list.filter((x) => x.id !== r.id)];
}

function keepRequest(r: FriendRequest): void {
  const myId = useSession.getState().me?.id;
  putProfiles([r.from, r.to]);
  useFriends.setState((s) =>
    r.toUserId === myId ? { incoming: upsert(s.incoming, r) } : { outgoing: upsert(s.outgoing, r) },
  );
}

/** Fetch the requests to me and from me. */
export async function refreshFriendRequests(): Promise<void> {
  const { incoming, outgoing } = await client.friends.requests();
  putProfiles([...incoming, ...outgoing].flatMap((r) => [r.from, r.to]));
  useFriends.setState({ incoming, outgoing, requestsLoaded: true });
}

/** Fetch the users I blocked. */
export async function refreshBlocked(): Promise<void> {
  const blocked = await client.friends.blocked();
  putProfiles(blocked.map((b) => b.profile));
  useFriends.setState({ blocked, blockedLoaded: true });
}

let subscribers = 0;
let unsubscribe: (() => void) | null = null;

function subscribe(): void {
  const refresh = () => {
    void refreshFriendRequests().catch(() => undefined);
    void refreshBlocked().catch(() => undefined);
  };
  const offs = [
    client.on('friend.request', keepRequest),
    client.on('friend.accepted', keepRequest),
    client.on('friend.blocked', () => void refreshBlocked().catch(() => undefined)),
    client.on('connection.state', ({ state }) => {
      if (state === 'connected') refresh();
    }),
  ];
  refresh();
  unsubscribe = () => offs.forEach((off) => off());
}

/**
 * Keep the friends store in step with the server while a screen that shows it is mounted
 * (reference-counted: the first mount subscribes and loads, the last unmount forgets everything,
 * so a sign-out leaves nothing behind).
 */
export function useFriendsSync(): void {
  useEffect(() => {
    if (subscribers++ === 0) subscribe();
    return () => {
      if (--subscribers === 0) {
        unsubscribe?.();
        unsubscribe = null;
        useFriends.setState({ ...EMPTY }, true);
      }
    };
  }, []);
}

/** How many requests to me wait for an answer (the badge on 新的朋友). */
export function usePendingIncomingCount(): number {
  return useFriends((s) => s.incoming.filter((r) => isPendingRequest(r)).length);
}

/** The pending request from this user to me, if any. */
export function usePendingRequestFrom(userId: string): FriendRequest | undefined {
  return useFriends((s) => s.incoming.find((r) => r.fromUserId === userId && isPendingRequest(r)));
}

export function useIsBlocked(userId: string): boolean {
  return useFriends((s) => s.blocked.some((b) => b.userId === userId));
}

/** Send a friend request; the store follows the answer (the event may come later). */
export async function sendFriendRequest(userId: string, message: string, remark?: string) {
  const res = await client.friends.request(userId, message, remark);
  if (res.request) keepRequest(res.request);
  return res;
}

export async function acceptFriendRequest(r: FriendRequest, remark?: string): Promise<void> {
  await client.friends.accept(r.id, remark);
  keepRequest({ ...r, status: 'accepted' });
}

export async function declineFriendRequest(r: FriendRequest): Promise<void> {
  await client.friends.decline(r.id);
  keepRequest({ ...r, status: 'declined' });
}

export async function blockUser(userId: string): Promise<void> {
  await client.friends.block(userId);
  await refreshBlocked();
}

export async function unblockUser(userId: string): Promise<void> {
  await client.friends.unblock(userId);
  useFriends.setState((s) => ({ blocked: s.blocked.filter((b) => b.userId !== userId) }));
}
