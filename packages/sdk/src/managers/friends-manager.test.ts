import type { Contact, FriendRequest, PublicProfile } from '@zhixin/protocol';
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZhixinClient } from '../client.ts';
import { ExponentialBackoffPolicy } from '../realtime/reconnect-policy.ts';
import { MemoryStorage } from '../storage/storage.ts';
import { FakeError, FakeServer } from '../testing/fake-server.ts';
import { waitFor } from '../testing/fixtures.ts';
import { isPendingRequest } from './friends-manager.ts';

let server: FakeServer;
let client: ZhixinClient;

const profile = (id: string): PublicProfile => ({
  id,
  nickname: id,
  avatarFileId: null,
  signature: '',
  account: null,
});
const request: FriendRequest = {
  id: 'r1',
  fromUserId: 'u_me',
  toUserId: 'u_bob',
  message: '我是王丽',
  remark: '',
  status: 'pending',
  from: profile('u_me'),
  to: profile('u_bob'),
  createdAt: 1,
  updatedAt: 1,
  expiresAt: 10,
};
const contact: Contact = {
  userId: 'u_bob',
  remark: '鲍勃',
  profile: profile('u_bob'),
  createdAt: 1,
  updatedAt: 1,
};

beforeEach(async () => {
  server = new FakeServer();
  const baseUrl = await server.start();
  client = new ZhixinClient({
    baseUrl,
    WebSocket,
    storage: new MemoryStorage(),
    reconnectPolicy: new ExponentialBackoffPolicy({ baseMs: 20, maxMs: 60 }),
  });
});

afterEach(async () => {
  await client.close();
  await server.stop();
});

async function connect(): Promise<void> {
  const synced = new Promise<void>((resolve) => client.once('sync.completed', () => resolve()));
  await client.auth.loginPassword('13800138000', 'correct horse');
  await client.connect();
  await synced;
}

describe('client.friends', () => {
  it('sends the protocol bodies, leaving out remarks that were not given', async () => {
    server.handlers.set('friends.request', () => ({ outcome: 'pending', request, contact: null }));
    server.handlers.set('friends.accept', () => contact);
    server.handlers.set('friends.blocked', () => ({ users: [] }));
    server.handlers.set('friends.updatePrivacy', (b) => ({
      addPolicy: 'verify',
      findableByPhone: true,
      findableByAccount: true,
      ...b,
    }));
    await connect();

    expect(await client.friends.request('u_bob', '我是王丽')).toEqual({
      outcome: 'pending',
      request,
      contact: null,
    });
    await client.friends.request('u_bob', '我是王丽', '鲍勃');
    expect(await client.friends.accept('r9')).toEqual(contact);
    await client.friends.accept('r9', '老鲍');
    expect(await client.friends.blocked()).toEqual([]);
    expect((await client.friends.updatePrivacy({ findableByPhone: false })).findableByPhone).toBe(false);

    const bodies = server.seen.filter((r) => r.op.startsWith('friends.')).map((r) => [r.op, r.body]);
    expect(bodies).toEqual([
      ['friends.request', { userId: 'u_bob', message: '我是王丽' }],
      ['friends.request', { userId: 'u_bob', message: '我是王丽', remark: '鲍勃' }],
      ['friends.accept', { requestId: 'r9' }],
      ['friends.accept', { requestId: 'r9', remark: '老鲍' }],
      ['friends.blocked', {}],
      ['friends.updatePrivacy', { findableByPhone: false }],
    ]);
  });

  it('rejects with the typed server error', async () => {
    server.handlers.set('friends.request', () => {
      throw new FakeError('FRIEND_REQUESTS_CLOSED');
    });
    await client.auth.loginPassword('13800138000', 'correct horse');
    await expect(client.friends.request('u_bob', 'hi')).rejects.toMatchObject({
      code: 'FRIEND_REQUESTS_CLOSED',
      status: 403,
    });
  });

  it('re-emits friend events', async () => {
    await connect();
    const seen: string[] = [];
    client.on('friend.request', (r) => seen.push(`request:${r.id}`));
    client.on('friend.accepted', (r) => seen.push(`accepted:${r.id}`));
    client.on('friend.removed', ({ userId }) => seen.push(`removed:${userId}`));
    server.push('friend.request.v1', request);
    server.push('friend.accepted.v1', { ...request, status: 'accepted' });
    server.push('friend.removed.v1', { userId: 'u_bob' });
    await waitFor(() => seen.length === 3, 2000, 'friend events');
    expect(seen).toEqual(['request:r1', 'accepted:r1', 'removed:u_bob']);
  });

  it('tells a pending request from a lapsed one', () => {
    expect(isPendingRequest(request, 5)).toBe(true);
    expect(isPendingRequest(request, 10)).toBe(false);
    expect(isPendingRequest({ ...request, status: 'accepted' }, 5)).toBe(false);
  });
});
