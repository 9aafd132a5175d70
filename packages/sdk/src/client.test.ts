import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZhixinClient, type ZhixinClientOptions } from './client.ts';
import type { ZhixinError } from './errors.ts';
import type { ZhixinEvents } from './events.ts';
import type { Message } from './managers/messages-manager.ts';
import type { ConnectionState } from './realtime/connection.ts';
import { ExponentialBackoffPolicy } from './realtime/reconnect-policy.ts';
import { MemoryStorage } from './storage/storage.ts';
import { FakeError, FakeServer } from './testing/fake-server.ts';
import { settle, waitFor } from './testing/fixtures.ts';

let server: FakeServer;
let baseUrl: string;
const clients: ZhixinClient[] = [];

beforeEach(async () => {
  server = new FakeServer();
  baseUrl = await server.start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await server.stop();
});

function makeClient(overrides: Partial<ZhixinClientOptions> = {}) {
  const client = new ZhixinClient({
    baseUrl,
    WebSocket,
    storage: new MemoryStorage(),
    reconnectPolicy: new ExponentialBackoffPolicy({ baseMs: 20, maxMs: 60 }),
    sendRetryPolicy: new ExponentialBackoffPolicy({ baseMs: 5, maxMs: 10, maxAttempts: 3 }),
    device: { name: 'test runner' },
    sync: { pageSize: 2 },
    ...overrides,
  });
  clients.push(client);
  const created: Message[] = [];
  const updated: Message[] = [];
  const states: ConnectionState[] = [];
  const lost: ZhixinError[] = [];
  client.on('message.created', (m) => created.push(m));
  client.on('message.updated', (m) => updated.push(m));
  client.on('connection.state', (s) => states.push(s.state));
  client.on('auth.lost', (e) => lost.push(e));
  const seqs = (conversationId = 'c1') =>
    created.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
  return { client, created, updated, states, lost, seqs };
}

/** A logged-in, connected client that has done its first (baseline) sync. */
async function connected(overrides: Partial<ZhixinClientOptions> = {}) {
  const ctx = makeClient(overrides);
  const synced = new Promise<void>((resolve) => ctx.client.once('sync.completed', () => resolve()));
  await ctx.client.auth.loginPassword('13800138000', 'correct horse');
  await ctx.client.connect();
  await synced;
  return ctx;
}

describe('ZhixinClient', () => {
  it('logs in over REST with a stable device id and connects', async () => {
    const storage = new MemoryStorage();
    const { client } = makeClient({ storage });
    await expect(client.connect()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const session = await client.auth.loginPassword('13800138000', 'correct horse');
    expect(client.session).toEqual(session);
    const hello = await client.connect();
    expect(hello.sessionId).toBe(session.sessionId);
    expect(client.connectionState).toBe('connected');
    const devices = server.seen
      .filter((r) => r.op === 'auth.loginPassword')
      .map((r) => r.body.device as { deviceId: string; name: string; platform: string });
    expect(devices[0]).toMatchObject({ name: 'test runner', platform: 'server' });
    expect(devices[0]?.deviceId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Another client on the same storage is the same device, and is still logged in.
    const again = makeClient({ storage }).client;
    expect((await again.auth.session())?.sessionId).toBe(session.sessionId);
    await again.auth.loginPassword('13800138000', 'correct horse');
    const second = server.seen.filter((r) => r.op === 'auth.loginPassword')[1]?.body.device as {
      deviceId: string;
    };
    expect(second.deviceId).toBe(devices[0]?.deviceId);
  });

  it('routes calls over the WebSocket when connected and over REST otherwise', async () => {
    const { client } = makeClient();
    await client.auth.loginPassword('13800138000', 'pw-pw-pw-pw');
    await client.users.me();
    expect(server.count('users.me', 'rest')).toBe(1);
    await client.connect();
    await client.users.me();
    expect(server.count('users.me', 'ws')).toBe(1);
    expect(server.seen.find((r) => r.op === 'users.me' && r.via === 'rest')?.authorization).toMatch(
      /^Bearer access-/,
    );
  });

  it('forwards server events under unversioned names with protocol bodies', async () => {
    const { client } = await connected();
    const seen: Partial<{ [K in keyof ZhixinEvents]: ZhixinEvents[K] }> = {};
    client.on('typing', (b) => (seen.typing = b));
    client.on('presence', (b) => (seen.presence = b));
    client.on('conversation.read', (b) => (seen['conversation.read'] = b));
    client.on('conversation.changed', (b) => (seen['conversation.changed'] = b));
    server.push('typing.v1', { conversationId: 'c1', userId: 'u2', typing: true });
    server.push('presence.v1', { userId: 'u2', online: true });
    server.push('conversation.read.v1', { conversationId: 'c1', userId: 'u2', readSeq: 3 });
    server.push('conversation.changed.v1', { conversationId: 'c1', reason: 'title' });
    await waitFor(() => seen['conversation.changed'], 2000, 'events');
    expect(seen).toEqual({
      typing: { conversationId: 'c1', userId: 'u2', typing: true },
      presence: { userId: 'u2', online: true },
      'conversation.read': { conversationId: 'c1', userId: 'u2', readSeq: 3 },
      'conversation.changed': { conversationId: 'c1', reason: 'title' },
    });
  });

  it('catches up when the server hints that a push may have missed this connection', async () => {
    server.addMessage('c1', { push: false });
    const { seqs } = await connected();
    // Stored while this connection was being announced to the cluster: never pushed.
    server.addMessage('c1', { push: false });
    server.push('sync.hint.v1', {});
    await waitFor(() => seqs().length === 1, 2000, 'hinted message');
    expect(seqs()).toEqual([2]);
  });

  it('catches up once within the window of a spread hint, however many hints came meanwhile', async () => {
    server.addMessage('c1', { push: false });
    const { seqs } = await connected();
    const lists = () => server.count('conversations.list');
    const before = lists();
    server.addMessage('c1', { push: false });
    server.push('sync.hint.v1', { spreadMs: 300 });
    server.push('sync.hint.v1', { spreadMs: 300 });
    await waitFor(() => seqs().length === 1, 2000, 'hinted message');
    expect(seqs()).toEqual([2]);
    await new Promise((r) => setTimeout(r, 400));
    expect(lists() - before).toBe(1);
  });

  it('emits live messages once and pulls a gap when one skips ahead', async () => {
    server.addMessage('c1', { push: false });
    const { created, seqs } = await connected();
    expect(created).toEqual([]); // the first sync is a baseline
    server.addMessage('c1');
    await waitFor(() => seqs().length === 1, 2000, 'live message');
    server.addMessage('c1', { push: false });
    server.addMessage('c1', { push: false });
    server.addMessage('c1'); // seq 5 arrives with 3 and 4 missing
    await waitFor(() => seqs().length === 4, 2000, 'gap pull');
    expect(seqs()).toEqual([2, 3, 4, 5]);
    // One pull, in pages of two (the last page may still be on its way when 5 is delivered).
    await waitFor(() => server.count('messages.history') === 2, 2000, 'second page');
    expect(server.seen.filter((r) => r.op === 'messages.history').map((r) => r.body.afterSeq)).toEqual([
      2, 4,
    ]);
  });

  it('catches up after a reconnect: missed messages once, in order, and edits made meanwhile', async () => {
    server.addMessage('c1', { push: false });
    server.addMessage('c2', { push: false });
    const { client, seqs, updated, states } = await connected();
    server.addMessage('c1');
    await waitFor(() => seqs().length === 1, 2000, 'live message');

    const caughtUp = new Promise<void>((resolve) => client.once('sync.completed', () => resolve()));
    server.dropAll();
    // While the client is away: five new messages in c1, two in c2, and an edit of c1#2.
    for (let i = 0; i < 5; i++) server.addMessage('c1', { push: false });
    server.addMessage('c2', { push: false });
    server.addMessage('c2', { push: false });
    server.editMessage('c1', 2, 'edited while away', { push: false });
    await caughtUp;
    expect(states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    expect(seqs('c1')).toEqual([2, 3, 4, 5, 6, 7]);
    expect(seqs('c2')).toEqual([2, 3]);
    expect(updated.map((m) => [m.conversationId, m.seq, m.version])).toEqual([['c1', 2, 2]]);

    // Late copies of what was replayed are not emitted again.
    server.push('message.created.v1', server.conversations.get('c1')?.messages[4] as Message);
    server.push('message.updated.v1', server.conversations.get('c1')?.messages[1] as Message);
    server.addMessage('c1');
    await waitFor(() => seqs('c1').length === 7, 2000, 'next live message');
    await settle();
    expect(seqs('c1')).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(updated).toHaveLength(1);
  });

  it('sends over the WebSocket, emits its own message once, and expects no gap after it', async () => {
    server.addMessage('c1', { push: false });
    const { client, seqs } = await connected();
    const sent = await client.messages.sendText('c1', '你好');
    expect(sent).toMatchObject({
      conversationId: 'c1',
      seq: 2,
      senderId: 'u_me',
      content: { kind: 'text', text: '你好' },
    });
    expect(server.count('messages.send', 'ws')).toBe(1);
    server.addMessage('c1');
    await waitFor(() => seqs().length === 2, 2000, 'reply');
    expect(seqs()).toEqual([2, 3]);
    expect(server.count('messages.history')).toBe(0);
  });

  it('retries a send that failed transiently with the same client id', async () => {
    const { client } = makeClient();
    await client.auth.loginPassword('13800138000', 'pw-pw-pw-pw');
    let failures = 2;
    server.handlers.set('messages.send', (body) => {
      if (failures-- > 0) throw new FakeError('UNAVAILABLE');
      server.handlers.delete('messages.send');
      return server.dispatch('messages.send', body);
    });
    const sent = await client.messages.sendText('c1', 'hello');
    const sends = server.seen.filter((r) => r.op === 'messages.send');
    expect(sends).toHaveLength(3);
    expect(new Set(sends.map((r) => r.body.clientId)).size).toBe(1);
    expect(sent.clientId).toBe(sends[0]?.body.clientId);
  });

  it('does not retry a send the server refused', async () => {
    const { client } = makeClient();
    await client.auth.loginPassword('13800138000', 'pw-pw-pw-pw');
    server.handlers.set('messages.send', () => {
      throw new FakeError('NOT_MEMBER');
    });
    await expect(client.messages.sendText('c1', 'hello')).rejects.toMatchObject({ code: 'NOT_MEMBER' });
    expect(server.count('messages.send')).toBe(1);
    await expect(client.messages.sendText('c1', 'x'.repeat(2049))).rejects.toMatchObject({
      code: 'MESSAGE_TOO_LONG',
    });
    expect(server.count('messages.send')).toBe(1);
  });

  it('stops and reports once when this session is revoked', async () => {
    const { client, lost, states } = await connected();
    const revoked: string[] = [];
    const syncErrors: unknown[] = [];
    client.on('sync.error', (e) => syncErrors.push(e));
    client.on('session.revoked', (b) => revoked.push(b.sessionId));
    const sessionId = client.session?.sessionId as string;
    server.revokedSessions.add(sessionId);
    server.push('session.revoked.v1', { sessionId });
    server.byeAll('session_revoked');
    await waitFor(() => lost.length === 1, 2000, 'auth.lost');
    await new Promise((r) => setTimeout(r, 150));
    expect(revoked).toEqual([sessionId]);
    expect(lost.map((e) => e.code)).toEqual(['SESSION_REVOKED']);
    expect(states.at(-1)).toBe('disconnected');
    expect(states).not.toContain('reconnecting');
    expect(client.session).toBeNull();
    expect(server.authAttempts).toBe(1);
    expect(syncErrors).toEqual([]);
  });

  it('refreshes an expired access token for REST and for the WebSocket', async () => {
    const { client, lost } = makeClient();
    const session = await client.auth.loginPassword('13800138000', 'pw-pw-pw-pw');
    server.expiredTokens.add(session.tokens.accessToken);
    await expect(client.users.me()).resolves.toMatchObject({ id: 'u_me' });
    expect(server.count('auth.refresh')).toBe(1);
    const refreshed = client.session?.tokens.accessToken as string;
    expect(refreshed).not.toBe(session.tokens.accessToken);
    server.expiredTokens.add(refreshed);
    await client.connect();
    expect(server.count('auth.refresh')).toBe(2);
    expect(lost).toEqual([]);
  });

  it('reports auth.lost once when the refresh token is refused', async () => {
    const { client, lost } = makeClient();
    const session = await client.auth.loginPassword('13800138000', 'pw-pw-pw-pw');
    server.expiredTokens.add(session.tokens.accessToken);
    server.refreshTokens.clear();
    await Promise.allSettled([client.users.me(), client.users.me(), client.connect()]);
    await settle();
    expect(lost.map((e) => e.code)).toEqual(['TOKEN_INVALID']);
    expect(client.session).toBeNull();
  });

  it('logs out: tells the server, forgets the session, closes the connection', async () => {
    const { client, states } = await connected();
    // Regression: closing used to checkpoint sync after the session was gone, reporting a spurious sync.error.
    const syncErrors: unknown[] = [];
    client.on('sync.error', (e) => syncErrors.push(e));
    await client.auth.logout();
    await settle();
    expect(syncErrors).toEqual([]);
    expect(server.count('auth.logout', 'rest')).toBe(1);
    expect(client.session).toBeNull();
    expect(states.at(-1)).toBe('disconnected');
    await expect(client.users.me()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
