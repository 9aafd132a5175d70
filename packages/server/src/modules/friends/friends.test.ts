import type { FriendRequest, FriendRequestList } from '@zhixin/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, testDialects } from '../../testing/app.ts';
import { connectDevice, settle, type TestDevice } from '../../testing/devices.ts';
import {
  callOp,
  errorOf,
  mustCall,
  randomPhone,
  registerUser,
  type TestUser,
} from '../../testing/factories.ts';
import { befriend } from '../../testing/friends.ts';

describe.each(testDialects())('friends (%s)', (dialect) => {
  let app: App;
  let port: number;
  let alice: TestUser;
  let bob: TestUser;
  let bobDesk: TestDevice;
  let aliceDesk: TestDevice;

  beforeAll(async () => {
    app = await buildTestApp({ dialect });
    port = await app.listen();
    alice = await registerUser(app, { nickname: 'Alice' });
    bob = await registerUser(app, { nickname: '鲍勃' });
    aliceDesk = await connectDevice(port, alice);
    bobDesk = await connectDevice(port, bob);
  });
  afterAll(async () => {
    aliceDesk.ws.close();
    bobDesk.ws.close();
    await app.close();
  });

  // Official accounts sit in everyone's list; these tests are about people.
  const contactsOf = async (user: TestUser) =>
    (await mustCall(app, 'contacts.list', {}, user.accessToken)).contacts.filter((c) => !c.profile.official);
  const requestsOf = (user: TestUser): Promise<FriendRequestList> =>
    mustCall(app, 'friends.requests', {}, user.accessToken);
  const codeOf = async (name: Parameters<typeof callOp>[1], body: Record<string, unknown>, user: TestUser) =>
    errorOf(await callOp(app, name, body, user.accessToken)).code;

  describe('致信号', () => {
    it('is set, shown on my profile and public profiles, and unique regardless of case', async () => {
      const me = await mustCall(app, 'users.setAccount', { account: 'Alice_2026' }, alice.accessToken);
      expect(me.account).toBe('Alice_2026');
      const { users } = await mustCall(app, 'users.profiles', { ids: alice.userId }, bob.accessToken);
      expect(users[0]?.account).toBe('Alice_2026');
      expect(await codeOf('users.setAccount', { account: 'alice_2026' }, bob)).toBe('ACCOUNT_TAKEN');
      expect((await mustCall(app, 'users.me', {}, bob.accessToken)).account).toBeNull();
      // Setting my own handle again (or in another case) is not a conflict with myself.
      expect(
        (await mustCall(app, 'users.setAccount', { account: 'alice_2026' }, alice.accessToken)).account,
      ).toBe('alice_2026');
      await mustCall(app, 'users.setAccount', { account: 'Alice_2026' }, alice.accessToken);
    });

    it('refuses malformed handles and keeps the old one', async () => {
      for (const account of ['abc', '1abcdef', 'a'.repeat(21), 'abc def', '张三abcdef', '_abcdef']) {
        expect(await codeOf('users.setAccount', { account }, alice), account).toBe('VALIDATION_FAILED');
      }
      expect((await mustCall(app, 'users.me', {}, alice.accessToken)).account).toBe('Alice_2026');
    });
  });

  describe('search', () => {
    it('finds a user by phone (any form) or by 致信号 in any case', async () => {
      const byPhone = await mustCall(app, 'friends.search', { query: alice.phone.slice(3) }, bob.accessToken);
      expect(byPhone).toEqual({
        profile: {
          id: alice.userId,
          nickname: 'Alice',
          avatarFileId: null,
          signature: '',
          account: 'Alice_2026',
        },
        isFriend: false,
      });
      const byAccount = await mustCall(app, 'friends.search', { query: 'ALICE_2026' }, bob.accessToken);
      expect(byAccount.profile.id).toBe(alice.userId);
    });

    it('answers NOT_FOUND alike for nobody, myself, garbage and users hiding from that search', async () => {
      const shy = await registerUser(app, { nickname: 'shy' });
      await mustCall(app, 'users.setAccount', { account: 'shy_person' }, shy.accessToken);
      await mustCall(app, 'friends.updatePrivacy', { findableByPhone: false }, shy.accessToken);
      for (const query of [randomPhone(), 'nobody_here', bob.phone, 'x', shy.phone]) {
        expect(errorOf(await callOp(app, 'friends.search', { query }, bob.accessToken)), query).toEqual({
          status: 404,
          code: 'NOT_FOUND',
        });
      }
      expect(
        (await mustCall(app, 'friends.search', { query: 'shy_person' }, bob.accessToken)).profile.id,
      ).toBe(shy.userId);
      await mustCall(app, 'friends.updatePrivacy', { findableByAccount: false }, shy.accessToken);
      expect(await codeOf('friends.search', { query: 'shy_person' }, bob)).toBe('NOT_FOUND');
    });
  });

  describe('requests', () => {
    let request: FriendRequest;

    it('sends a pending request that both sides see, with both profiles, and tells both', async () => {
      const sent = await mustCall(
        app,
        'friends.request',
        { userId: bob.userId, message: '我是 Alice', remark: '老鲍' },
        alice.accessToken,
      );
      expect(sent.outcome).toBe('pending');
      expect(sent.contact).toBeNull();
      request = sent.request!;
      expect(request).toMatchObject({
        fromUserId: alice.userId,
        toUserId: bob.userId,
        message: '我是 Alice',
        remark: '老鲍',
        status: 'pending',
        from: { nickname: 'Alice' },
        to: { nickname: '鲍勃' },
      });
      expect(request.expiresAt - request.updatedAt).toBe(7 * 24 * 3600 * 1000);
      // The target sees the message but not the requester's private remark.
      expect(await bobDesk.nextEvent('friend.request.v1')).toEqual({ ...request, remark: '' });
      expect(await aliceDesk.nextEvent('friend.request.v1')).toEqual(request);
      expect((await requestsOf(bob)).incoming).toEqual([{ ...request, remark: '' }]);
      expect((await requestsOf(alice)).outgoing).toEqual([request]);
      expect(await contactsOf(alice)).toEqual([]);
    });

    it('merges a second request into the pending one: same id, latest message', async () => {
      const again = await mustCall(
        app,
        'friends.request',
        { userId: bob.userId, message: '再说一次' },
        alice.accessToken,
      );
      expect(again.request).toMatchObject({
        id: request.id,
        message: '再说一次',
        createdAt: request.createdAt,
      });
      expect((await requestsOf(bob)).incoming.map((r) => r.message)).toEqual(['再说一次']);
      await bobDesk.nextEvent('friend.request.v1');
      await aliceDesk.nextEvent('friend.request.v1');
    });

    it('refuses bad requests with typed errors and stores nothing', async () => {
      const gone = await registerUser(app);
      await app.services.auth.setUserDisabled(gone.userId, true);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ userId: alice.userId, message: 'me' }, 'CONTACT_SELF'],
        [{ userId: 'NOBODY0000000000000000000', message: 'hi' }, 'NOT_FOUND'],
        [{ userId: gone.userId, message: 'hi' }, 'NOT_FOUND'],
        [{ userId: bob.userId, message: 'x'.repeat(101) }, 'VALIDATION_FAILED'],
        [{ userId: bob.userId, message: 'hi', remark: 'r'.repeat(33) }, 'VALIDATION_FAILED'],
        [{ userId: bob.userId }, 'VALIDATION_FAILED'],
        [{ userId: bob.userId, message: 'hi', extra: true }, 'VALIDATION_FAILED'],
      ];
      const before = await requestsOf(alice);
      for (const [body, code] of cases)
        expect(await codeOf('friends.request', body, alice), JSON.stringify(body)).toBe(code);
      expect(await requestsOf(alice)).toEqual(before);
    });

    it('does not let anyone but the target accept or decline', async () => {
      const carol = await registerUser(app, { nickname: 'Carol' });
      expect(
        errorOf(await callOp(app, 'friends.accept', { requestId: request.id }, carol.accessToken)),
      ).toEqual({
        status: 404,
        code: 'NOT_FOUND',
      });
      expect(await codeOf('friends.accept', { requestId: request.id }, alice)).toBe('NOT_FOUND');
      expect(await codeOf('friends.decline', { requestId: request.id }, carol)).toBe('NOT_FOUND');
      expect(await codeOf('friends.accept', { requestId: 'NOSUCHREQUEST' }, bob)).toBe('NOT_FOUND');
      expect((await requestsOf(bob)).incoming[0]?.status).toBe('pending');
      expect(await contactsOf(carol)).toEqual([]);
    });

    it('accepts with a remark: both become contacts, each with their own remark, and both hear of it', async () => {
      const contact = await mustCall(
        app,
        'friends.accept',
        { requestId: request.id, remark: '爱丽丝' },
        bob.accessToken,
      );
      expect(contact).toMatchObject({
        userId: alice.userId,
        remark: '爱丽丝',
        profile: { nickname: 'Alice' },
      });
      expect(await contactsOf(bob)).toEqual([contact]);
      expect((await contactsOf(alice)).map((c) => [c.userId, c.remark])).toEqual([[bob.userId, '老鲍']]);
      // The contact entries first, so a client handling friend.accepted already has them.
      expect(await aliceDesk.nextEvent('contact.updated.v1')).toMatchObject({ userId: bob.userId });
      expect(await bobDesk.nextEvent('contact.updated.v1')).toMatchObject({ userId: alice.userId });
      expect(await aliceDesk.nextEvent('friend.accepted.v1')).toMatchObject({
        id: request.id,
        status: 'accepted',
      });
      expect(await bobDesk.nextEvent('friend.accepted.v1')).toMatchObject({
        id: request.id,
        status: 'accepted',
      });
      expect((await requestsOf(bob)).incoming[0]?.status).toBe('accepted');
    });

    it('refuses accepting twice and requesting a friend again', async () => {
      expect(await codeOf('friends.accept', { requestId: request.id }, bob)).toBe('FRIEND_REQUEST_HANDLED');
      expect(await codeOf('friends.decline', { requestId: request.id }, bob)).toBe('FRIEND_REQUEST_HANDLED');
      expect(await codeOf('friends.request', { userId: alice.userId, message: 'hi' }, bob)).toBe(
        'ALREADY_FRIENDS',
      );
      const search = await mustCall(app, 'friends.search', { query: bob.phone }, alice.accessToken);
      expect(search.isFriend).toBe(true);
    });

    it('declines quietly: the requester is not told, and may ask again later', async () => {
      const dave = await registerUser(app, { nickname: 'Dave' });
      const sent = await mustCall(
        app,
        'friends.request',
        { userId: bob.userId, message: 'Dave here' },
        dave.accessToken,
      );
      await bobDesk.nextEvent('friend.request.v1');
      const daveDesk = await connectDevice(port, dave);
      await mustCall(app, 'friends.decline', { requestId: sent.request!.id }, bob.accessToken);
      expect(await bobDesk.nextEvent('friend.request.v1')).toMatchObject({ status: 'declined' });
      await settle();
      expect(daveDesk.ws.frames.filter((f) => f.type === 'event')).toEqual([]);
      expect(await codeOf('friends.decline', { requestId: sent.request!.id }, bob)).toBe(
        'FRIEND_REQUEST_HANDLED',
      );
      const again = await mustCall(
        app,
        'friends.request',
        { userId: bob.userId, message: '再试' },
        dave.accessToken,
      );
      expect(again.request).toMatchObject({ status: 'pending', message: '再试' });
      expect(again.request!.id).not.toBe(sent.request!.id);
      daveDesk.ws.close();
    });

    it('lets a request expire after 7 days: accepting it fails and nothing changes', async () => {
      const erin = await registerUser(app, { nickname: 'Erin' });
      const sent = await mustCall(
        app,
        'friends.request',
        { userId: bob.userId, message: 'old' },
        erin.accessToken,
      );
      await app.platform.db
        .updateTable('friend_requests')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', sent.request!.id)
        .execute();
      expect((await requestsOf(bob)).incoming.find((r) => r.id === sent.request!.id)?.status).toBe('expired');
      expect(await codeOf('friends.accept', { requestId: sent.request!.id }, bob)).toBe(
        'FRIEND_REQUEST_EXPIRED',
      );
      expect(await contactsOf(erin)).toEqual([]);
      // Sending again starts a fresh request.
      const again = await mustCall(
        app,
        'friends.request',
        { userId: bob.userId, message: 'new' },
        erin.accessToken,
      );
      expect(again.request).toMatchObject({ status: 'pending', message: 'new' });
      expect(again.request!.id).not.toBe(sent.request!.id);
    });

    it('keeps request messages sealed in the database', async () => {
      const row = await app.platform.db
        .selectFrom('friend_requests')
        .selectAll()
        .where('id', '=', request.id)
        .executeTakeFirstOrThrow();
      expect(row.message_enc).not.toContain('再说');
      expect(Buffer.from(row.message_enc, 'base64').toString('utf8')).not.toContain('再说');
    });
  });

  it('makes friends at once when I ask someone who already asked me', async () => {
    const p = await registerUser(app, { nickname: 'P' });
    const q = await registerUser(app, { nickname: 'Q' });
    await mustCall(app, 'friends.updatePrivacy', { addPolicy: 'nobody' }, p.accessToken);
    const asked = await mustCall(
      app,
      'friends.request',
      { userId: q.userId, message: 'hi Q' },
      p.accessToken,
    );
    const back = await mustCall(
      app,
      'friends.request',
      { userId: p.userId, message: 'hi P', remark: '小P' },
      q.accessToken,
    );
    expect(back).toMatchObject({
      outcome: 'friends',
      request: null,
      contact: { userId: p.userId, remark: '小P' },
    });
    expect((await requestsOf(p)).outgoing.find((r) => r.id === asked.request!.id)?.status).toBe('accepted');
    expect((await contactsOf(p)).map((c) => c.userId)).toEqual([q.userId]);
  });

  describe('add policy', () => {
    it('"anyone" makes friends at once; "nobody" refuses with FRIEND_REQUESTS_CLOSED and stores nothing', async () => {
      const open = await registerUser(app, { nickname: 'Open' });
      const closed = await registerUser(app, { nickname: 'Closed' });
      const asker = await registerUser(app, { nickname: 'Asker' });
      expect(await mustCall(app, 'friends.updatePrivacy', { addPolicy: 'anyone' }, open.accessToken)).toEqual(
        {
          addPolicy: 'anyone',
          findableByPhone: true,
          findableByAccount: true,
        },
      );
      await mustCall(app, 'friends.updatePrivacy', { addPolicy: 'nobody' }, closed.accessToken);
      const res = await mustCall(
        app,
        'friends.request',
        { userId: open.userId, message: 'hi', remark: '开放' },
        asker.accessToken,
      );
      expect(res).toMatchObject({
        outcome: 'friends',
        request: { status: 'accepted' },
        contact: { userId: open.userId, remark: '开放' },
      });
      expect((await contactsOf(open)).map((c) => c.userId)).toEqual([asker.userId]);
      expect(
        errorOf(
          await callOp(app, 'friends.request', { userId: closed.userId, message: 'hi' }, asker.accessToken),
        ),
      ).toEqual({
        status: 403,
        code: 'FRIEND_REQUESTS_CLOSED',
      });
      expect((await requestsOf(closed)).incoming).toEqual([]);
    });

    it('reads and validates privacy settings', async () => {
      const user = await registerUser(app);
      const defaults = { addPolicy: 'verify', findableByPhone: true, findableByAccount: true };
      expect(await mustCall(app, 'friends.privacy', {}, user.accessToken)).toEqual(defaults);
      for (const body of [{}, { addPolicy: 'everyone' }, { findableByPhone: 'yes' }, { other: 1 }]) {
        expect(await codeOf('friends.updatePrivacy', body, user), JSON.stringify(body)).toBe(
          'VALIDATION_FAILED',
        );
      }
      expect(await mustCall(app, 'friends.privacy', {}, user.accessToken)).toEqual(defaults);
    });
  });

  describe('blocking', () => {
    let mallory: TestUser;
    let conversationId: string;

    beforeAll(async () => {
      mallory = await registerUser(app, { nickname: 'Mallory' });
      await befriend(app, mallory, bob);
      conversationId = (
        await mustCall(app, 'conversations.openDirect', { userId: bob.userId }, mallory.accessToken)
      ).id;
    });

    const sendText = (from: TestUser, text: string) =>
      callOp(
        app,
        'messages.send',
        {
          conversationId,
          clientId: `c-${Math.random().toString(36).slice(2, 12)}`,
          content: { kind: 'text', text },
        },
        from.accessToken,
      );

    it('refuses direct messages from a user I blocked with BLOCKED, storing nothing', async () => {
      expect((await sendText(mallory, 'before')).status).toBe(200);
      await mustCall(app, 'friends.block', { userId: mallory.userId }, bob.accessToken);
      expect(await bobDesk.nextEvent('friend.blocked.v1')).toEqual({ userId: mallory.userId, blocked: true });
      const history = async () =>
        (await mustCall(app, 'messages.history', { conversationId }, bob.accessToken)).messages.length;
      const count = await history();
      expect(errorOf(await sendText(mallory, 'after'))).toEqual({ status: 403, code: 'BLOCKED' });
      expect(await history()).toBe(count);
      // The blocker may still write.
      expect((await sendText(bob, 'still mine')).status).toBe(200);
    });

    it('hides me from a user I blocked: search and requests answer NOT_FOUND', async () => {
      await mustCall(app, 'friends.remove', { userId: mallory.userId }, bob.accessToken);
      expect(await codeOf('friends.search', { query: bob.phone }, mallory)).toBe('NOT_FOUND');
      expect(await codeOf('friends.request', { userId: bob.userId, message: 'let me in' }, mallory)).toBe(
        'NOT_FOUND',
      );
      const fromMallory = (await requestsOf(bob)).incoming.filter((r) => r.fromUserId === mallory.userId);
      expect(fromMallory.map((r) => r.status)).not.toContain('pending');
    });

    it('lists blocked users and unblocks them; typed errors for the rest', async () => {
      expect((await mustCall(app, 'friends.blocked', {}, bob.accessToken)).users).toEqual([
        {
          userId: mallory.userId,
          profile: expect.objectContaining({ nickname: 'Mallory' }),
          createdAt: expect.any(Number),
        },
      ]);
      expect(await codeOf('friends.block', { userId: bob.userId }, bob)).toBe('CONTACT_SELF');
      expect(await codeOf('friends.block', { userId: 'NOBODY0000000000000000000' }, bob)).toBe('NOT_FOUND');
      await mustCall(app, 'friends.unblock', { userId: mallory.userId }, bob.accessToken);
      expect(await codeOf('friends.unblock', { userId: mallory.userId }, bob)).toBe('NOT_FOUND');
      expect((await mustCall(app, 'friends.blocked', {}, bob.accessToken)).users).toEqual([]);
      expect((await sendText(mallory, 'again')).status).toBe(200);
    });
  });

  describe('removing a friend', () => {
    it('removes both contact entries, tells both, and says NOT_FOUND the second time', async () => {
      const a = await registerUser(app);
      const b = await registerUser(app);
      await befriend(app, a, b);
      const aDesk = await connectDevice(port, a);
      const bDesk = await connectDevice(port, b);
      await mustCall(app, 'friends.remove', { userId: b.userId }, a.accessToken);
      expect(await bDesk.nextEvent('contact.removed.v1')).toEqual({ userId: a.userId });
      expect(await aDesk.nextEvent('friend.removed.v1')).toEqual({ userId: b.userId });
      expect(await bDesk.nextEvent('friend.removed.v1')).toEqual({ userId: a.userId });
      expect(await contactsOf(a)).toEqual([]);
      expect(await contactsOf(b)).toEqual([]);
      expect(await codeOf('friends.remove', { userId: b.userId }, a)).toBe('NOT_FOUND');
      aDesk.ws.close();
      bDesk.ws.close();
    });
  });

  it('works over the WebSocket', async () => {
    const x = await registerUser(app, { nickname: 'X' });
    const y = await registerUser(app, { nickname: 'Y' });
    const xDesk = await connectDevice(port, x);
    const yDesk = await connectDevice(port, y);
    const sent = await xDesk.request('friends.request', { userId: y.userId, message: 'ws' });
    expect(sent).toMatchObject({ ok: true, body: { outcome: 'pending' } });
    const list = await yDesk.request('friends.requests', {});
    const id = (list.body as FriendRequestList).incoming[0]!.id;
    expect(await yDesk.request('friends.accept', { requestId: id })).toMatchObject({
      ok: true,
      body: { userId: x.userId },
    });
    expect(await yDesk.request('friends.accept', { requestId: id })).toMatchObject({
      ok: false,
      error: { code: 'FRIEND_REQUEST_HANDLED' },
    });
    expect(await xDesk.request('friends.privacy', {})).toMatchObject({
      ok: true,
      body: { addPolicy: 'verify' },
    });
    xDesk.ws.close();
    yDesk.ws.close();
  });
});
